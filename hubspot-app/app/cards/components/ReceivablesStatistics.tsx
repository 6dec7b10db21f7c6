/**
 * The five-second answer on a record: what the customer owes, what is late, how they pay
 * and whether they are at risk. Every figure comes computed from the backend.
 */
import { Flex, Statistics, StatisticsItem, StatusTag, Text } from "@hubspot/ui-extensions";
import type { CardInvoicesResponse } from "@encaisse/shared/contracts";
import { type Translator, amountText, daysText } from "../utils/i18n.ts";
import { riskVariant } from "../utils/table.ts";

type CardView = Extract<CardInvoicesResponse, { state: "ok" }>;

export function ReceivablesStatistics({ t, view }: { t: Translator; view: CardView }) {
  const { summary, currency, amountsVisible } = view;
  const amount = (cents: number) => amountText(t, amountsVisible, cents, currency);
  return (
    <Flex direction="column" gap="sm">
      <Statistics testId="statistics">
        <StatisticsItem
          testId="outstanding"
          label={t.m.outstanding}
          number={amount(summary.outstandingCents)}
        >
          <Text variant="microcopy">{t.m.openInvoices(summary.openInvoiceCount)}</Text>
        </StatisticsItem>
        <StatisticsItem testId="overdue" label={t.m.overdue} number={amount(summary.overdueCents)}>
          <Text variant="microcopy">{t.m.overdueInvoices(summary.overdueInvoiceCount)}</Text>
        </StatisticsItem>
        <StatisticsItem
          testId="average-delay"
          label={t.m.averageDelay}
          number={daysText(t, summary.averagePaymentDelayDays)}
        />
        <StatisticsItem testId="dso" label={t.m.dso} number={daysText(t, summary.dsoDays)} />
      </Statistics>
      <Flex direction="row" gap="sm" align="center">
        <Text format={{ fontWeight: "demibold" }}>{t.m.paymentRisk}</Text>
        <StatusTag testId="payment-risk" variant={riskVariant(summary.paymentRisk)}>
          {t.m.riskLevels[summary.paymentRisk]}
        </StatusTag>
        {summary.atRiskCents > 0 ? (
          <Text testId="at-risk">{t.m.atRisk(amount(summary.atRiskCents))}</Text>
        ) : null}
      </Flex>
    </Flex>
  );
}
