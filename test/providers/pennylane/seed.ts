/**
 * Records placed in the emulator's books as Pennylane's web app would: through the API, with a
 * token of their own (so they never count against the client's rate-limit window) and outside
 * msw (so they never show among the requests the client sent).
 */
import type { CalendarDate } from "@encaisse/shared";
import type { PennylaneEmulator } from "../../emulators/pennylane";
import type {
  CompanyCustomerCreate,
  NewInvoiceLine,
} from "../../emulators/pennylane/request-bodies";

const BACK_OFFICE_TOKEN = "back-office-token";

export interface SeededInvoice {
  readonly customerId: number;
  readonly date: CalendarDate;
  readonly deadline: CalendarDate;
  readonly externalReference?: string;
  readonly draft?: boolean;
  readonly lines?: NewInvoiceLine[];
}

const ONE_LINE: NewInvoiceLine[] = [
  {
    label: "Prestation",
    quantity: 1,
    raw_currency_unit_price: "100",
    unit: "piece",
    vat_rate: "FR_200",
  },
];

export class BackOffice {
  constructor(
    private readonly emulator: PennylaneEmulator,
    private readonly apiUrl: string,
  ) {
    emulator.addApiToken(BACK_OFFICE_TOKEN);
  }

  async createCompany(input: CompanyCustomerCreate): Promise<number> {
    return ((await this.call("POST", "/company_customers", input)) as { id: number }).id;
  }

  async createInvoice(invoice: SeededInvoice): Promise<number> {
    const created = await this.call("POST", "/customer_invoices", {
      customer_id: invoice.customerId,
      date: invoice.date,
      deadline: invoice.deadline,
      draft: invoice.draft ?? false,
      ...(invoice.externalReference ? { external_reference: invoice.externalReference } : {}),
      invoice_lines: invoice.lines ?? ONE_LINE,
    });
    return (created as { id: number }).id;
  }

  /** One after the other, so ids and numbers follow the order given. */
  async createInvoices(invoices: readonly SeededInvoice[]): Promise<number[]> {
    const ids: number[] = [];
    for (const invoice of invoices) ids.push(await this.createInvoice(invoice));
    return ids;
  }

  async deleteDraft(invoiceId: number): Promise<void> {
    await this.call("DELETE", `/customer_invoices/${invoiceId}`);
  }

  /** Ids of the records Pennylane holds under one external reference. */
  async customersWithReference(reference: string): Promise<number[]> {
    return this.idsWithReference("/customers", reference);
  }

  async invoicesWithReference(reference: string): Promise<number[]> {
    return this.idsWithReference("/customer_invoices", reference);
  }

  private async idsWithReference(path: string, reference: string): Promise<number[]> {
    const filter = JSON.stringify([
      { field: "external_reference", operator: "eq", value: reference },
    ]);
    const page = (await this.call(
      "GET",
      `${path}?filter=${encodeURIComponent(filter)}&limit=100`,
    )) as {
      items: { id: number }[];
    };
    return page.items.map((item) => item.id);
  }

  private async call(method: string, path: string, body?: unknown): Promise<unknown> {
    const response = await this.emulator.handle(
      new Request(`${this.apiUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${BACK_OFFICE_TOKEN}`,
          "content-type": "application/json",
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
    );
    // Seeding happens at one virtual instant: it must not eat the client's 25 requests / 5 s.
    this.emulator.resetRateLimits();
    if (!response.ok) {
      throw new Error(
        `Seeding ${method} ${path} failed: ${response.status} ${await response.text()}`,
      );
    }
    return response.status === 204 ? null : ((await response.json()) as unknown);
  }
}
