/**
 * Pennylane's rules on an invoice's dates and currency, each answered with the 422 (or 400)
 * Pennylane gives. The issue date is a Paris calendar date: never in the future, and never
 * before the last finalized invoice, because invoice numbers must follow dates.
 */
import type { CalendarDate } from "@encaisse/shared";
import { badRequest, unprocessable } from "./errors";
import type { InvoiceRecord } from "./records";

export function assertNotFuture(date: CalendarDate, today: CalendarDate): void {
  if (date > today) {
    throw unprocessable(
      `The invoice date ${date} is in the future (today is ${today} in Europe/Paris).`,
    );
  }
}

export function lastFinalizedDate(invoices: Iterable<InvoiceRecord>): CalendarDate | null {
  let last: CalendarDate | null = null;
  for (const invoice of invoices) {
    if (!invoice.draft && (last === null || invoice.date > last)) last = invoice.date;
  }
  return last;
}

export function assertChronology(date: CalendarDate, invoices: Iterable<InvoiceRecord>): void {
  const last = lastFinalizedDate(invoices);
  if (last !== null && date < last) {
    throw unprocessable(
      `The invoice date ${date} is earlier than ${last}, the date of the last finalized invoice.`,
    );
  }
}

export function assertDeadline(date: CalendarDate, deadline: CalendarDate): void {
  if (deadline < date) {
    throw unprocessable(`The deadline ${deadline} is before the invoice date ${date}.`);
  }
}

export function assertEuro(currency: string | undefined): void {
  if (currency === undefined || currency === "EUR") return;
  if (!/^[A-Z]{3}$/.test(currency)) {
    throw badRequest(
      `currency "${currency}" is not an ISO 4217 code`,
      "currency",
      "NotEnumInclude",
    );
  }
  throw unprocessable(`This emulator only keeps EUR invoices (got ${currency}).`);
}
