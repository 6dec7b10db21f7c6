/** The HubSpot side of the open customer: company, owner, receivables, deals, contacts. */
import type { ContextResponse } from "../api/client";
import type { Formats } from "./format";
import type { PanelMessages } from "./i18n";
import { ExternalLink, Section } from "./ui";

export type OkContext = Extract<ContextResponse, { state: "ok" }>;

function Receivables({ t, f, context }: { t: PanelMessages; f: Formats; context: OkContext }) {
  const r = context.receivables;
  if (r === null) {
    return (
      <Section title={t.receivables}>
        <p className="muted">{t.receivablesNotMatched}</p>
      </Section>
    );
  }
  return (
    <Section title={t.receivables}>
      <dl className="figures">
        <dt>{t.outstanding}</dt>
        <dd>{f.money(r.outstandingCents, r.currency)}</dd>
        <dt>{t.overdue}</dt>
        <dd className={r.overdueCents > 0 ? "late" : undefined}>
          {f.money(r.overdueCents, r.currency)}
        </dd>
        <dt>{t.averageDelay}</dt>
        <dd>{r.averagePaymentDelayDays === null ? "—" : f.days(r.averagePaymentDelayDays)}</dd>
        <dt>{t.dunningStep}</dt>
        <dd>{r.dunningStep === null ? t.noDunning : t.dunning[r.dunningStep]}</dd>
      </dl>
    </Section>
  );
}

function Invoice({
  t,
  f,
  invoice,
}: {
  t: PanelMessages;
  f: Formats;
  invoice: NonNullable<OkContext["invoice"]>;
}) {
  return (
    <Section title={invoice.number ? t.invoice(invoice.number) : t.draftInvoice}>
      <p>
        <span className={`badge ${invoice.status}`}>{t.status[invoice.status]}</span> {t.remaining}{" "}
        {f.money(invoice.remainingCents, invoice.currency)} /{" "}
        {f.money(invoice.grossCents, invoice.currency)}
      </p>
      <p className="muted">{t.dueOn(f.date(invoice.dueDate))}</p>
    </Section>
  );
}

export function CompanyContext({
  t,
  f,
  context,
}: {
  t: PanelMessages;
  f: Formats;
  context: OkContext;
}) {
  const { company, owner } = context;
  // Deals carry no currency of their own here; a French account's are in euros.
  const dealCurrency = context.receivables?.currency ?? "EUR";
  return (
    <>
      <Section title={t.company}>
        <p className="headline">{company.name ?? company.domain ?? company.id}</p>
        {company.domain && <p className="muted">{company.domain}</p>}
        <ExternalLink href={company.url}>{t.openInHubSpot}</ExternalLink>
      </Section>
      <Section title={t.owner}>
        {owner ? (
          <ul className="plain">
            <li>{owner.name ?? owner.email ?? owner.id}</li>
            {owner.email && (
              <li>
                <a href={`mailto:${owner.email}`}>{owner.email}</a>
              </li>
            )}
            {owner.phone && (
              <li>
                <a href={`tel:${owner.phone}`}>{owner.phone}</a>
              </li>
            )}
          </ul>
        ) : (
          <p className="muted">{t.noOwner}</p>
        )}
      </Section>
      {context.invoice && <Invoice t={t} f={f} invoice={context.invoice} />}
      <Receivables t={t} f={f} context={context} />
      <Section title={t.openDeals}>
        {context.openDeals.length === 0 ? (
          <p className="muted">{t.noDeals}</p>
        ) : (
          <ul className="rows">
            {context.openDeals.map((deal) => (
              <li key={deal.id}>
                <ExternalLink href={deal.url}>{deal.name ?? deal.id}</ExternalLink>
                <span className="muted">
                  {[
                    deal.stage,
                    deal.amountCents === null ? null : f.money(deal.amountCents, dealCurrency),
                    deal.closeDate ? t.closeOn(f.date(deal.closeDate)) : null,
                  ]
                    .filter(Boolean)
                    .join(" · ")}
                </span>
              </li>
            ))}
          </ul>
        )}
      </Section>
      <Section title={t.contacts}>
        {context.contacts.length === 0 ? (
          <p className="muted">{t.noContacts}</p>
        ) : (
          <ul className="rows">
            {context.contacts.map((contact) => (
              <li key={contact.id}>
                <span>
                  {contact.name ?? contact.email ?? contact.id}
                  {contact.jobTitle && <span className="muted"> · {contact.jobTitle}</span>}
                </span>
                <span className="muted">
                  {contact.email && <a href={`mailto:${contact.email}`}>{contact.email}</a>}
                  {contact.email && contact.phone && " · "}
                  {contact.phone && <a href={`tel:${contact.phone}`}>{contact.phone}</a>}
                </span>
              </li>
            ))}
          </ul>
        )}
      </Section>
      <Section title={t.lastActivity}>
        <p>{context.lastActivityAt ? f.instant(context.lastActivityAt) : t.noActivity}</p>
      </Section>
    </>
  );
}
