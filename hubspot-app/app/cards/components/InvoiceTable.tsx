/**
 * One page of the customer's invoices, sorted and paginated by the API (`sort`, `order`,
 * `page`), with each late invoice's dunning step and a way into its details.
 */
import {
  Button,
  StatusTag,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  Text,
} from "@hubspot/ui-extensions";
import type { CardInvoice } from "@encaisse/shared/contracts";
import { dunningLines } from "../utils/dunning-text.ts";
import { type Translator, amountText, daysText } from "../utils/i18n.ts";
import {
  type InvoiceOrder,
  type InvoiceSort,
  orderAfterSortChange,
  pageCountOf,
  sortDirectionOf,
  statusVariant,
} from "../utils/table.ts";

export interface InvoiceTableProps {
  readonly t: Translator;
  readonly invoices: readonly CardInvoice[];
  readonly amountsVisible: boolean;
  readonly page: number;
  readonly pageSize: number;
  readonly total: number;
  readonly order: InvoiceOrder;
  readonly disabled: boolean;
  readonly selectedInvoiceId: string | null;
  onPageChange(page: number): void;
  onSortChange(order: InvoiceOrder): void;
  onSelect(invoiceId: string | null): void;
}

export function InvoiceTable(props: InvoiceTableProps) {
  const { t, invoices, amountsVisible, order } = props;
  const sortable = (column: InvoiceSort, label: string) => (
    <TableHeader
      testId={`sort-${column}`}
      sortDirection={sortDirectionOf(column, order)}
      disabled={props.disabled}
      onSortChange={(direction) => props.onSortChange(orderAfterSortChange(column, direction))}
    >
      {label}
    </TableHeader>
  );
  return (
    <Table
      testId="invoice-table"
      bordered
      paginated
      page={props.page}
      pageCount={pageCountOf(props.total, props.pageSize)}
      onPageChange={props.onPageChange}
    >
      <TableHead>
        <TableRow>
          {sortable("number", t.m.columns.number)}
          {sortable("issueDate", t.m.columns.issueDate)}
          {sortable("dueDate", t.m.columns.dueDate)}
          {sortable("grossCents", t.m.columns.amount)}
          {sortable("remainingCents", t.m.columns.remaining)}
          <TableHeader>{t.m.columns.status}</TableHeader>
          {sortable("daysLate", t.m.columns.daysLate)}
          <TableHeader>{t.m.columns.dunning}</TableHeader>
          <TableHeader> </TableHeader>
        </TableRow>
      </TableHead>
      <TableBody>
        {invoices.map((invoice) => {
          const selected = invoice.id === props.selectedInvoiceId;
          return (
            <TableRow key={invoice.id} testId={`invoice-${invoice.id}`}>
              <TableCell>{invoice.number ?? t.m.draftNumber}</TableCell>
              <TableCell>{t.f.date(invoice.issueDate)}</TableCell>
              <TableCell>{t.f.date(invoice.dueDate)}</TableCell>
              <TableCell align="right">
                {amountText(t, amountsVisible, invoice.grossCents, invoice.currency)}
              </TableCell>
              <TableCell align="right">
                {amountText(t, amountsVisible, invoice.remainingCents, invoice.currency)}
              </TableCell>
              <TableCell>
                <StatusTag variant={statusVariant(invoice.status)}>
                  {t.m.statuses[invoice.status]}
                </StatusTag>
              </TableCell>
              <TableCell>{invoice.daysLate > 0 ? daysText(t, invoice.daysLate) : ""}</TableCell>
              <TableCell>
                <Text variant="microcopy">{dunningLines(t, invoice.dunning)[0] ?? ""}</Text>
              </TableCell>
              <TableCell>
                <Button
                  testId={`details-${invoice.id}`}
                  size="xs"
                  variant="transparent"
                  onClick={() => props.onSelect(selected ? null : invoice.id)}
                >
                  {selected ? t.m.hideDetails : t.m.showDetails}
                </Button>
              </TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}
