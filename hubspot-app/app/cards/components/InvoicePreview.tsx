/**
 * The invoice the backend will create from the deal, before anything is sent: who it bills,
 * its dates and terms, each line with its VAT, the totals and the legal mentions.
 */
import {
  DescriptionList,
  DescriptionListItem,
  Flex,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  Text,
} from "@hubspot/ui-extensions";
import type { InvoicePreviewResponse } from "@encaisse/shared/contracts";
import type { Translator } from "../utils/i18n.ts";

type ReadyPreview = Extract<InvoicePreviewResponse, { state: "ready" }>;

export function InvoicePreview({ t, preview }: { t: Translator; preview: ReadyPreview }) {
  const money = (cents: number) => t.f.money(cents, preview.currency);
  const { customer } = preview;
  return (
    <Flex direction="column" gap="sm" testId="invoice-preview">
      <DescriptionList direction="row">
        <DescriptionListItem label={t.m.billedTo}>
          <Text testId="billed-to">{customer.name}</Text>
          {customer.willBeCreated ? <Text variant="microcopy">{t.m.newCustomer}</Text> : null}
        </DescriptionListItem>
        <DescriptionListItem label={t.m.siren}>
          {customer.siren ?? t.m.notAvailable}
        </DescriptionListItem>
        <DescriptionListItem label={t.m.invoiceDate}>
          {t.f.date(preview.issueDate)}
        </DescriptionListItem>
        <DescriptionListItem label={t.m.dueDate}>
          <Text testId="due-date">{t.f.date(preview.dueDate)}</Text>
        </DescriptionListItem>
        <DescriptionListItem label={t.m.paymentTerms}>
          {t.m.terms(preview.paymentTerms)}
        </DescriptionListItem>
        <DescriptionListItem label={t.m.operationNature}>
          {t.m.natures[preview.operationNature]}
        </DescriptionListItem>
      </DescriptionList>
      <Table testId="preview-lines" bordered>
        <TableHead>
          <TableRow>
            <TableHeader>{t.m.lineColumns.label}</TableHeader>
            <TableHeader align="right">{t.m.lineColumns.quantity}</TableHeader>
            <TableHeader align="right">{t.m.lineColumns.unitPrice}</TableHeader>
            <TableHeader align="right">{t.m.lineColumns.vatRate}</TableHeader>
            <TableHeader align="right">{t.m.lineColumns.net}</TableHeader>
            <TableHeader align="right">{t.m.lineColumns.vat}</TableHeader>
            <TableHeader align="right">{t.m.lineColumns.gross}</TableHeader>
          </TableRow>
        </TableHead>
        <TableBody>
          {preview.lines.map((line, index) => (
            <TableRow key={`${index}-${line.label}`}>
              <TableCell>{line.label}</TableCell>
              <TableCell align="right">{t.f.quantity(line.quantity)}</TableCell>
              <TableCell align="right">
                {t.f.decimalMoney(line.unitPriceExclTax, preview.currency)}
              </TableCell>
              <TableCell align="right">{t.f.vatRate(line.vatCode)}</TableCell>
              <TableCell align="right">{money(line.netCents)}</TableCell>
              <TableCell align="right">{money(line.vatCents)}</TableCell>
              <TableCell align="right">{money(line.grossCents)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <DescriptionList direction="row">
        <DescriptionListItem label={t.m.totalNet}>{money(preview.netCents)}</DescriptionListItem>
        <DescriptionListItem label={t.m.totalVat}>{money(preview.vatCents)}</DescriptionListItem>
        <DescriptionListItem label={t.m.totalGross}>
          <Text testId="total-gross" format={{ fontWeight: "bold" }}>
            {money(preview.grossCents)}
          </Text>
        </DescriptionListItem>
      </DescriptionList>
      {preview.legalMentions.length > 0 ? (
        <Flex direction="column" gap="flush">
          <Text format={{ fontWeight: "demibold" }}>{t.m.legalMentions}</Text>
          {preview.legalMentions.map((mention) => (
            <Text key={mention} variant="microcopy">
              {mention}
            </Text>
          ))}
        </Flex>
      ) : null}
    </Flex>
  );
}
