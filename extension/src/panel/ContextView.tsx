/**
 * Asks the backend for the HubSpot context of one customer or invoice, or of a company picked
 * in the search, in every state.
 */
import type { Provider } from "@encaisse/shared";
import { useCallback, useEffect, useMemo, useState } from "react";
import type { ContextResponse } from "../api/client";
import type { ContextRequest, OutcomeError, SendToBackground } from "../service/protocol";
import { NoteForm, TaskForm } from "./Actions";
import { CompanyContext } from "./CompanyContext";
import type { Formats } from "./format";
import type { PanelMessages } from "./i18n";
import { SearchView } from "./SearchView";
import { ErrorNotice, Loading, Notice } from "./ui";

type Load =
  | { state: "loading" }
  | { state: "failed"; error: OutcomeError }
  | { state: "loaded"; context: ContextResponse };

export interface ContextViewProps {
  t: PanelMessages;
  f: Formats;
  send: SendToBackground;
  lookup: ContextRequest;
  /** The page's accounting software, for the search offered when nothing matches. */
  provider: Provider | null;
  searchHint: string | null;
  portalId: string;
  today: Date;
  onSignedOut: () => void;
}

export function ContextView(props: ContextViewProps) {
  const { t, f, send, onSignedOut } = props;
  const [load, setLoad] = useState<Load>({ state: "loading" });
  // Callers build the lookup inline: only a different one is worth another request.
  const lookupKey = JSON.stringify(props.lookup);
  const lookup = useMemo(() => JSON.parse(lookupKey) as ContextRequest, [lookupKey]);

  const fetchContext = useCallback(async () => {
    setLoad({ state: "loading" });
    const outcome = await send("hubspot-context", lookup);
    if (outcome.ok) setLoad({ state: "loaded", context: outcome.value });
    else if (outcome.error.code === "SIGNED_OUT") onSignedOut();
    else setLoad({ state: "failed", error: outcome.error });
  }, [send, lookup, onSignedOut]);

  useEffect(() => {
    void fetchContext();
  }, [fetchContext]);

  if (load.state === "loading") return <Loading label={t.loading} />;
  if (load.state === "failed") {
    return <ErrorNotice t={t} error={load.error} onRetry={() => void fetchContext()} />;
  }
  const { context } = load;
  if (context.state !== "ok") {
    const notMatched = context.state === "not_matched";
    return (
      <>
        <Notice title={notMatched ? t.notMatchedTitle : t.notFoundTitle}>
          <p>{notMatched ? t.notMatchedBody : t.notFoundBody}</p>
        </Notice>
        <SearchView
          t={t}
          f={f}
          send={send}
          provider={props.provider}
          initialText={props.searchHint ?? ""}
          portalId={props.portalId}
          today={props.today}
          onSignedOut={onSignedOut}
        />
      </>
    );
  }
  const company = context.company;
  const actionProps = {
    t,
    send,
    companyId: company.id,
    companyName: company.name ?? company.domain ?? company.id,
    today: props.today,
    onSignedOut,
  };
  return (
    <>
      <CompanyContext t={t} f={f} context={context} />
      <NoteForm {...actionProps} />
      <TaskForm {...actionProps} />
    </>
  );
}
