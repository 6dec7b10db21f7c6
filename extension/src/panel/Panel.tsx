/**
 * The side panel: signed out -> pairing; signed in -> the HubSpot context of the customer or
 * invoice open in the tab, or a search when the page names none.
 */
import { useCallback, useEffect, useMemo, useState } from "react";
import type { PageDetection } from "../detect/detection";
import type { SendToBackground, SessionStatus } from "../service/protocol";
import { ContextView } from "./ContextView";
import { formatsFor } from "./format";
import { intlLocaleOf, type Language, messagesFor, PROVIDER_NAMES } from "./i18n";
import type { PageSource } from "./page-source";
import { PairingForm } from "./PairingForm";
import { SearchView } from "./SearchView";
import { PANEL_CSS } from "./styles";
import { ErrorNotice, Loading, Notice } from "./ui";

export interface PanelProps {
  send: SendToBackground;
  pages: PageSource;
  language: Language;
  today?: () => Date;
}

function usePage(pages: PageSource): PageDetection | null | undefined {
  const [page, setPage] = useState<PageDetection | null | undefined>(undefined);
  useEffect(() => pages.subscribe(setPage), [pages]);
  return page;
}

type Session =
  | { state: "loading" }
  | { state: "failed"; code: string; message: string }
  | { state: "known"; status: SessionStatus };

export function Panel({ send, pages, language, today = () => new Date() }: PanelProps) {
  const t = messagesFor(language);
  const f = useMemo(() => formatsFor(intlLocaleOf(language)), [language]);
  const page = usePage(pages);
  const [session, setSession] = useState<Session>({ state: "loading" });
  const [revoked, setRevoked] = useState(false);

  const loadSession = useCallback(async () => {
    setSession({ state: "loading" });
    const outcome = await send("session-status", null);
    setSession(
      outcome.ok
        ? { state: "known", status: outcome.value }
        : { state: "failed", ...outcome.error },
    );
  }, [send]);
  useEffect(() => {
    void loadSession();
  }, [loadSession]);

  const onSignedOut = useCallback(() => {
    setRevoked(true);
    setSession({ state: "known", status: { signedIn: false, portalId: null, userEmail: null } });
  }, []);
  const signOut = async () => {
    const outcome = await send("sign-out", null);
    if (outcome.ok) setSession({ state: "known", status: outcome.value });
  };

  let body;
  if (session.state === "loading" || page === undefined) {
    body = <Loading label={t.loading} />;
  } else if (session.state === "failed") {
    body = (
      <ErrorNotice
        t={t}
        error={{ code: session.code, message: session.message, retryAfterSeconds: null }}
        onRetry={() => void loadSession()}
      />
    );
  } else if (!session.status.signedIn || session.status.portalId === null) {
    body = (
      <PairingForm
        t={t}
        send={send}
        revoked={revoked}
        onPaired={(status) => {
          setRevoked(false);
          setSession({ state: "known", status });
        }}
      />
    );
  } else {
    const common = { t, f, send, portalId: session.status.portalId, today: today(), onSignedOut };
    body = page?.target ? (
      <ContextView
        key={`${page.provider}:${JSON.stringify(page.target)}`}
        {...common}
        lookup={{ provider: page.provider, target: page.target }}
        provider={page.provider}
        searchHint={page.searchHint}
      />
    ) : (
      <>
        <Notice title={t.noPageTitle}>
          <p>{t.noPageBody(page ? PROVIDER_NAMES[page.provider] : "Pennylane / Sage Active")}</p>
        </Notice>
        <SearchView
          key={page?.searchHint ?? ""}
          {...common}
          provider={page?.provider ?? null}
          initialText={page?.searchHint ?? ""}
        />
      </>
    );
  }

  const signedIn = session.state === "known" && session.status.signedIn;
  return (
    <main className="panel" lang={language}>
      <style>{PANEL_CSS}</style>
      <header>
        <h1>{t.title}</h1>
        {signedIn && session.status.userEmail && (
          <span className="muted">{t.signedInAs(session.status.userEmail)}</span>
        )}
        {signedIn && (
          <button type="button" className="link" onClick={() => void signOut()}>
            {t.signOut}
          </button>
        )}
      </header>
      {body}
    </main>
  );
}
