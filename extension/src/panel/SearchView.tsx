/**
 * When the page names no customer or invoice (or names one HubSpot does not know): search
 * HubSpot companies by name or SIREN, or look the text up as an invoice number.
 */
import type { Provider } from "@encaisse/shared";
import { type FormEvent, useCallback, useEffect, useState } from "react";
import type { SearchResponse } from "../api/client";
import type { PageTarget } from "../detect/detection";
import type { OutcomeError, SendToBackground } from "../service/protocol";
import type { Formats } from "./format";
import type { PanelMessages } from "./i18n";
import { ContextView } from "./ContextView";
import { ErrorNotice, Loading, Section } from "./ui";

type Company = SearchResponse["results"][number];
type Search =
  | { state: "idle" }
  | { state: "searching" }
  | { state: "failed"; error: OutcomeError }
  | { state: "done"; text: string; results: Company[] };

export interface SearchViewProps {
  t: PanelMessages;
  f: Formats;
  send: SendToBackground;
  provider: Provider | null;
  initialText: string;
  portalId: string;
  today: Date;
  onSignedOut: () => void;
}

export function SearchView(props: SearchViewProps) {
  const { t, send, onSignedOut } = props;
  const [text, setText] = useState(props.initialText);
  const [search, setSearch] = useState<Search>({ state: "idle" });
  const [chosen, setChosen] = useState<Company | null>(null);
  const [invoiceLookup, setInvoiceLookup] = useState<PageTarget | null>(null);

  const run = useCallback(
    async (query: string) => {
      setChosen(null);
      setInvoiceLookup(null);
      setSearch({ state: "searching" });
      const outcome = await send("search-companies", { text: query });
      if (outcome.ok) setSearch({ state: "done", text: query, results: outcome.value.results });
      else if (outcome.error.code === "SIGNED_OUT") onSignedOut();
      else setSearch({ state: "failed", error: outcome.error });
    },
    [send, onSignedOut],
  );

  useEffect(() => {
    if (props.initialText.trim().length >= 2) void run(props.initialText.trim());
  }, [props.initialText, run]);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (text.trim().length >= 2) void run(text.trim());
  };

  if (invoiceLookup && props.provider) {
    return (
      <>
        <button type="button" className="link" onClick={() => setInvoiceLookup(null)}>
          {t.backToResults}
        </button>
        <ContextView
          {...props}
          lookup={{ provider: props.provider, target: invoiceLookup }}
          searchHint={null}
        />
      </>
    );
  }
  if (chosen) {
    // The whole context, as for a customer open on the page: deals, contacts, receivables.
    return (
      <>
        <button type="button" className="link" onClick={() => setChosen(null)}>
          {t.backToResults}
        </button>
        <ContextView
          {...props}
          lookup={{ hubspotCompanyId: chosen.companyId }}
          searchHint={chosen.name}
        />
      </>
    );
  }

  const searched = search.state === "done" ? search.text : null;
  return (
    <Section title={t.searchButton}>
      <form onSubmit={onSubmit} role="search">
        <label>
          {t.searchLabel}
          <input type="search" value={text} onChange={(e) => setText(e.target.value)} />
        </label>
        <button type="submit" disabled={text.trim().length < 2 || search.state === "searching"}>
          {t.searchButton}
        </button>
      </form>
      {search.state === "searching" && <Loading label={t.searching} />}
      {search.state === "failed" && <ErrorNotice t={t} error={search.error} />}
      {search.state === "done" && (
        <>
          {search.results.length === 0 ? (
            <p className="muted">{t.noResults}</p>
          ) : (
            <ul className="rows">
              {search.results.map((company) => (
                <li key={company.companyId}>
                  <button type="button" className="link" onClick={() => setChosen(company)}>
                    {company.name ?? company.domain ?? company.companyId}
                  </button>
                  <span className="muted">
                    {[company.domain, company.siren && `${t.sirenLabel} ${company.siren}`]
                      .filter(Boolean)
                      .join(" · ")}
                  </span>
                </li>
              ))}
            </ul>
          )}
          {props.provider && searched && /\d/.test(searched) && (
            <button
              type="button"
              className="link"
              onClick={() => setInvoiceLookup({ kind: "invoice_number", invoiceNumber: searched })}
            >
              {t.searchInvoiceNumber(searched)}
            </button>
          )}
        </>
      )}
    </Section>
  );
}
