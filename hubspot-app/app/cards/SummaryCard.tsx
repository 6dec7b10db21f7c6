/**
 * The compact sidebar card: what the customer owes, what is late and the payment risk, with
 * the same states as the Invoices tab in fewer words.
 */
import { useMemo } from "react";
import { type CrmContext, Flex, StatusTag, Text, hubspot } from "@hubspot/ui-extensions";
import {
  Loading,
  LoadFailed,
  NoCompany,
  NotConnected,
  UnsupportedRecord,
} from "./components/CardStates.tsx";
import { Freshness } from "./components/Freshness.tsx";
import { useCardInvoices } from "./hooks/useCardInvoices.ts";
import {
  PROVIDER_NAMES,
  type Translator,
  amountText,
  daysText,
  translatorFor,
} from "./utils/i18n.ts";
import { type CrmRecord, connectedAppsUrl, crmRecordOf } from "./utils/record.ts";
import { riskVariant } from "./utils/table.ts";

hubspot.extend<"crm.record.sidebar">(({ context }) => <SummaryCard context={context} />);

export function SummaryCard({ context }: { context: CrmContext }) {
  const t = useMemo(() => translatorFor(context.user.locale), [context.user.locale]);
  const record = crmRecordOf(context.crm);
  if (record === null) return <UnsupportedRecord t={t} />;
  return (
    <ReceivablesSummary
      t={t}
      record={record}
      locale={context.user.locale}
      teamIds={context.user.teams.map((team) => team.id)}
      settingsUrl={connectedAppsUrl(context.portal.id)}
    />
  );
}

/** Only the summary is shown: asking for a single invoice keeps the answer small. */
const SUMMARY_QUERY = { pageSize: 1, order: { sort: "daysLate", order: "desc" } } as const;

function ReceivablesSummary({
  t,
  record,
  locale,
  teamIds,
  settingsUrl,
}: {
  t: Translator;
  record: CrmRecord;
  locale: string | undefined;
  teamIds: readonly number[];
  settingsUrl: string;
}) {
  const cards = useCardInvoices(record, { ...SUMMARY_QUERY, locale, teamIds });
  const { load } = cards;
  if (load.kind === "loading") return <Loading t={t} />;
  if (load.kind === "failed") return <LoadFailed t={t} error={load.error} onRetry={cards.reload} />;
  const { view } = load;
  switch (view.state) {
    case "not_connected":
      return <NotConnected t={t} settingsUrl={settingsUrl} />;
    case "no_company":
      return <NoCompany t={t} objectType={view.objectType} />;
    case "not_matched":
      return (
        <Flex direction="column" gap="xs" testId="not-matched">
          <Text format={{ fontWeight: "demibold" }}>
            {t.m.notMatchedTitle(
              view.company.name ?? view.company.domain ?? "",
              PROVIDER_NAMES[view.provider],
            )}
          </Text>
          <Text variant="microcopy">{t.m.linkFromInvoicesTab}</Text>
        </Flex>
      );
    case "ok": {
      const { summary, currency, amountsVisible } = view;
      const amount = (cents: number) => amountText(t, amountsVisible, cents, currency);
      return (
        <Flex direction="column" gap="sm" testId="summary">
          <Flex direction="row" justify="between">
            <Text>{t.m.outstanding}</Text>
            <Text testId="outstanding" format={{ fontWeight: "bold" }}>
              {amount(summary.outstandingCents)}
            </Text>
          </Flex>
          <Flex direction="row" justify="between">
            <Text>{t.m.overdue}</Text>
            <Text testId="overdue" format={{ fontWeight: "bold" }}>
              {amount(summary.overdueCents)}
            </Text>
          </Flex>
          {summary.oldestOverdueDays > 0 ? (
            <Text variant="microcopy" testId="oldest-late">
              {t.m.oldestLate(daysText(t, summary.oldestOverdueDays))}
            </Text>
          ) : null}
          <Flex direction="row" justify="between" align="center">
            <Text>{t.m.paymentRisk}</Text>
            <StatusTag testId="payment-risk" variant={riskVariant(summary.paymentRisk)}>
              {t.m.riskLevels[summary.paymentRisk]}
            </StatusTag>
          </Flex>
          <Freshness
            t={t}
            view={view}
            updating={load.updating}
            updateError={load.updateError}
            onRefresh={cards.refresh}
          />
        </Flex>
      );
    }
  }
}
