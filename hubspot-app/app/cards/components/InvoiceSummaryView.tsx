/**
 * An invoice that exists in the accounting software: the one just created, or the one the
 * deal was already billed with.
 */
import {
  DescriptionList,
  DescriptionListItem,
  Flex,
  Link,
  StatusTag,
  Text,
} from "@hubspot/ui-extensions";
import type { InvoiceSummary } from "@encaisse/shared/contracts";
import { PROVIDER_NAMES, type Translator } from "../utils/i18n.ts";
import { statusVariant } from "../utils/table.ts";

export function InvoiceSummaryView({
  t,
  title,
  invoice,
  testId,
}: {
  t: Translator;
  title: string;
  invoice: InvoiceSummary;
  testId: string;
}) {
  return (
    <Flex direction="column" gap="sm" testId={testId}>
      <Text format={{ fontWeight: "bold" }}>{title}</Text>
      <DescriptionList direction="row">
        <DescriptionListItem label={t.m.columns.number}>
          <Text testId="invoice-number">{invoice.number ?? t.m.draftNumber}</Text>
        </DescriptionListItem>
        <DescriptionListItem label={t.m.columns.status}>
          <StatusTag testId="invoice-status" variant={statusVariant(invoice.status)}>
            {t.m.statuses[invoice.status]}
          </StatusTag>
        </DescriptionListItem>
        <DescriptionListItem label={t.m.columns.amount}>
          {t.f.money(invoice.grossCents, invoice.currency)}
        </DescriptionListItem>
        <DescriptionListItem label={t.m.columns.remaining}>
          {t.f.money(invoice.remainingCents, invoice.currency)}
        </DescriptionListItem>
        <DescriptionListItem label={t.m.dueDate}>{t.f.date(invoice.dueDate)}</DescriptionListItem>
      </DescriptionList>
      {invoice.webUrl ? (
        <Link testId="invoice-link" href={{ url: invoice.webUrl, external: true }}>
          {t.m.openInProvider(PROVIDER_NAMES[invoice.provider])}
        </Link>
      ) : null}
    </Flex>
  );
}
