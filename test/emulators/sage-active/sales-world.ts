/**
 * A small organization built through the API, for lifecycle and filter tests: reference ids
 * from the setup queries, customers, and helpers that create, close, post and settle
 * invoices exactly as the client would.
 */
import { completeLuhn, frenchVatNumberFromSiren } from "@encaisse/shared";
import {
  CLOSE_SALES_INVOICE,
  CREATE_CUSTOMER,
  CREATE_SALES_INVOICE,
  POST_SALES_INVOICE,
  SALES_INVOICES,
  SETTLE_OPEN_ITEMS,
  SETUP,
} from "./documents";
import { type Answer, harness, type Harness, type Loose } from "./harness";
import type { SageActiveEmulatorOptions } from "./emulator";

export const sirenOf = (prefix: string): string => completeLuhn(prefix);

export function customerInput(
  name: string,
  sirenPrefix: string,
  overrides: Record<string, unknown> = {},
) {
  const siren = sirenOf(sirenPrefix);
  return {
    socialName: name,
    documentId: siren,
    vatNumber: frenchVatNumberFromSiren(siren),
    customerType: "BUSINESS",
    addresses: [
      { firstLine: "72 rue Joffre", city: "PARIS", zipCode: "75001", countryIsoCodeAlpha2: "FR" },
    ],
    ...overrides,
  };
}

export interface SalesWorld extends Harness {
  readonly journalId: string;
  readonly bankId: string;
  productId(code: string): string;
  createCustomer(values: Record<string, unknown>): Promise<Loose>;
  /** A draft for `customerId` (a 3 x 1 234.56 line at 10 % off, 20 % VAT, unless `values` say otherwise). */
  createInvoice(customerId: string, values?: Record<string, unknown>): Promise<Answer>;
  close(invoiceId: string): Promise<Answer>;
  post(invoiceId: string): Promise<Answer>;
  /** Create, close and post; returns the posted invoice as salesInvoices shows it. */
  postedInvoice(customerId: string, values?: Record<string, unknown>): Promise<Loose>;
  settle(
    customerId: string,
    paid: readonly { openItemId: string; paidAmount: number }[],
    entryDate?: string,
  ): Promise<Answer>;
  invoice(invoiceId: string): Promise<Loose>;
}

export async function salesWorld(options: SageActiveEmulatorOptions = {}): Promise<SalesWorld> {
  const h = harness(options);
  const setup = (await h.send(SETUP, { organizationId: h.emulator.defaultOrganizationId })).data;
  const productId = (code: string): string => {
    const product = setup.products.nodes.find((candidate: Loose) => candidate.code === code);
    if (!product) throw new Error(`No product ${code}`);
    return product.id;
  };
  const journalId: string =
    setup.organizationSalesSetupByOrgId.defaultSalesPostingInvoiceJournalTypeId;
  const bankId: string = setup.paymentMethods.nodes.find(
    (method: Loose) => method.type === "BANK_ACCOUNT",
  ).id;

  const world: SalesWorld = {
    ...h,
    journalId,
    bankId,
    productId,
    async createCustomer(values) {
      const answer = await h.send(CREATE_CUSTOMER, { values });
      if (answer.errors.length > 0)
        throw new Error(answer.errors.map((error) => error.message).join(", "));
      return answer.data.createCustomer;
    },
    createInvoice(customerId, values = {}) {
      return h.send(CREATE_SALES_INVOICE, {
        values: {
          customerId,
          documentDate: "2026-03-02",
          lines: [
            {
              productId: productId("PRESTATION"),
              totalQuantity: 3,
              unitPrice: 1234.56,
              firstDiscount: 10,
            },
          ],
          ...values,
        },
      });
    },
    close(invoiceId) {
      return h.send(CLOSE_SALES_INVOICE, { input: { salesInvoiceId: invoiceId } });
    },
    post(invoiceId) {
      return h.send(POST_SALES_INVOICE, {
        input: {
          salesInvoiceId: invoiceId,
          accountingEntryDescription: "Facture client",
          journalTypeId: journalId,
        },
      });
    },
    async postedInvoice(customerId, values) {
      const created = await world.createInvoice(customerId, values);
      const id: string = created.data.createSalesInvoice.id;
      await world.close(id);
      await world.post(id);
      return world.invoice(id);
    },
    settle(customerId, paid, entryDate = "2026-03-10") {
      return h.send(SETTLE_OPEN_ITEMS, {
        input: {
          entryDate,
          paymentMethodId: bankId,
          thirdPartyId: customerId,
          documentNumber: "VIR-001",
          description: "Virement reçu",
          salesOpenItemLinkagePaidAmounts: paid,
        },
      });
    },
    async invoice(invoiceId) {
      const answer = await h.send(SALES_INVOICES, { where: { id: { eq: invoiceId } } });
      return answer.data.salesInvoices.nodes[0];
    },
  };
  return world;
}
