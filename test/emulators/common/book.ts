/** What loading the provider-neutral book (test/fixtures/book.ts) means the same way everywhere. */
import type { Book } from "../../fixtures/book";

/**
 * The date of each company's first invoice, by book company key: the day it became a
 * customer, so records carry a believable creation date rather than the load's.
 */
export function firstInvoiceDates(book: Book): ReadonlyMap<string, string> {
  const firstIssue = new Map<string, string>();
  for (const invoice of book.invoices) {
    const known = firstIssue.get(invoice.customerKey);
    if (known === undefined || invoice.issueDate < known)
      firstIssue.set(invoice.customerKey, invoice.issueDate);
  }
  return firstIssue;
}
