/**
 * The companies the sandbox banner suggests trying, chosen from the book so each shows
 * something: the demo customer (most overdue invoices, the one the ready-made curl asks
 * about), a good payer, one named differently in HubSpot (matched by SIREN all the same)
 * and one HubSpot holds no SIREN for (the card offers to link it by hand).
 */
import { deriveInvoiceStatus } from "@encaisse/shared";
import type { Book, SeedCompany } from "../fixtures/book";
import { paidCentsOf } from "../fixtures/generate";
import type { LoadedBook as LoadedCrm } from "../emulators/hubspot";

export interface ExampleCompany {
  readonly key: string;
  /** The name in the ledger (HubSpot's may differ slightly: see `note`). */
  readonly name: string;
  readonly hubspotId: string;
  /** Whether the card will find its accounting customer on its own. */
  readonly matched: boolean;
  readonly invoices: number;
  readonly overdue: number;
  readonly note: string;
}

interface Receivables {
  readonly invoices: number;
  readonly overdue: number;
}

export function chooseExamples(book: Book, crm: LoadedCrm): ExampleCompany[] {
  const withoutSiren = new Set(crm.withoutSiren);
  const renamed = new Set(crm.renamed);
  const receivables = receivablesByCompany(book);
  const of = (company: SeedCompany) => receivables.get(company.key) ?? { invoices: 0, overdue: 0 };
  const matched = book.companies.filter(
    (company) => !withoutSiren.has(company.key) && crm.companyIds[company.key] !== undefined,
  );
  const example = (company: SeedCompany, note: string): ExampleCompany => ({
    key: company.key,
    name: company.name,
    hubspotId: crm.companyIds[company.key] ?? "",
    matched: !withoutSiren.has(company.key),
    ...of(company),
    note,
  });

  const chosen: ExampleCompany[] = [];
  const taken = new Set<string>();
  const add = (company: SeedCompany | undefined, note: (counts: Receivables) => string) => {
    if (!company || taken.has(company.key)) return;
    taken.add(company.key);
    chosen.push(example(company, note(of(company))));
  };

  const mostOverdue = [...matched]
    .filter((company) => !renamed.has(company.key))
    .sort((a, b) => of(b).overdue - of(a).overdue || a.key.localeCompare(b.key))[0];
  add(mostOverdue, (counts) => `${counts.invoices} invoices, ${counts.overdue} overdue`);
  add(
    matched.find(
      (company) =>
        (company.behaviour === "early" || company.behaviour === "on_time") &&
        of(company).invoices > 0 &&
        of(company).overdue === 0,
    ),
    (counts) => `${counts.invoices} invoices, pays on time`,
  );
  add(
    matched.find((company) => renamed.has(company.key)),
    () => "named differently in HubSpot, matched by SIREN",
  );
  add(
    book.companies.find(
      (company) => withoutSiren.has(company.key) && crm.companyIds[company.key] !== undefined,
    ),
    () => "no SIREN in HubSpot: not matched, the card offers to link it",
  );
  return chosen;
}

function receivablesByCompany(book: Book): Map<string, Receivables> {
  const counts = new Map<string, { invoices: number; overdue: number }>();
  for (const invoice of book.invoices) {
    if (invoice.draft || invoice.cancelled || invoice.creditNoteOf !== null) continue;
    const entry = counts.get(invoice.customerKey) ?? { invoices: 0, overdue: 0 };
    entry.invoices += 1;
    const { status } = deriveInvoiceStatus(
      {
        isDraft: false,
        isCancelled: false,
        isCreditNote: false,
        grossCents: invoice.grossCents,
        remainingCents: invoice.grossCents - paidCentsOf(invoice),
        dueDate: invoice.dueDate,
      },
      book.today,
    );
    if (status === "overdue") entry.overdue += 1;
    counts.set(invoice.customerKey, entry);
  }
  return counts;
}
