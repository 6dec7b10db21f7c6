/**
 * Organization settings the client needs again and again (currency, taxes, sales journal,
 * bank and cash accounts), read once per client and kept. A failed read is forgotten so
 * the next call tries again.
 */
import { DomainError } from "@encaisse/shared";
import { ProviderError } from "../errors";
import type { SageGraphql } from "./graphql";
import { collectPages } from "./pagination";
import {
  ORGANIZATION_DETAIL,
  PAYMENT_METHODS,
  SALES_JOURNALS,
  SALES_SETUP,
  TAXES,
} from "./queries";
import {
  organizationDetailDataSchema,
  paymentMethodsDataSchema,
  salesJournalsDataSchema,
  salesSetupDataSchema,
  type SageTax,
  taxesDataSchema,
} from "./schemas";
import { percentageToBasisPoints } from "./vat-codes";

export interface SageOrganizationDetail {
  readonly id: string;
  readonly socialName: string | null;
  readonly documentId: string | null;
  readonly vatNumber: string | null;
  readonly currency: string;
}

export type PaymentAccountKind = "BANK_ACCOUNT" | "CASH" | "OTHER";

export class SageReferenceData {
  private readonly memo = new Map<string, Promise<unknown>>();

  constructor(private readonly graphql: SageGraphql) {}

  private once<T>(key: string, load: () => Promise<T>): Promise<T> {
    let promise = this.memo.get(key) as Promise<T> | undefined;
    if (!promise) {
      promise = load();
      this.memo.set(key, promise);
      promise.catch(() => this.memo.delete(key));
    }
    return promise;
  }

  organizationDetail(): Promise<SageOrganizationDetail> {
    return this.once("organizationDetail", async () => {
      const data = await this.graphql.run(ORGANIZATION_DETAIL, {}, organizationDetailDataSchema);
      const detail = data.organizationDetail.nodes[0];
      if (!detail) {
        throw new ProviderError(
          "PROVIDER_NOT_FOUND",
          "Sage Active returned no details for this organization.",
          { provider: "sage_active" },
        );
      }
      return {
        id: detail.id,
        socialName: detail.socialName,
        documentId: detail.documentId,
        vatNumber: detail.vatNumber,
        // Amounts are in the organization's currency; French organizations keep EUR.
        currency: detail.currency?.code?.toUpperCase() || "EUR",
      };
    });
  }

  async currency(): Promise<string> {
    return (await this.organizationDetail()).currency;
  }

  taxes(): Promise<readonly SageTax[]> {
    return this.once("taxes", () =>
      collectPages(
        async (after) =>
          (await this.graphql.run(TAXES, { first: 500, after }, taxesDataSchema)).taxes,
      ),
    );
  }

  /** Tax group id -> rate in basis points, from the group's first active tax. */
  async groupRates(): Promise<ReadonlyMap<string, number>> {
    const rates = new Map<string, number>();
    for (const tax of await this.taxes()) {
      if (tax.inactive === true || tax.groupId === null || tax.percentage === null) continue;
      const basisPoints = percentageToBasisPoints(tax.percentage);
      if (basisPoints !== null && !rates.has(tax.groupId)) rates.set(tax.groupId, basisPoints);
    }
    return rates;
  }

  /** The SALES_INVOICE journal posting uses: the organization's default, else the first active. */
  salesJournalId(): Promise<string> {
    return this.once("salesJournal", async () => {
      const organizationId = this.graphql.organizationId;
      if (organizationId !== null) {
        const setup = await this.graphql.run(SALES_SETUP, { organizationId }, salesSetupDataSchema);
        const preset = setup.organizationSalesSetupByOrgId?.defaultSalesPostingInvoiceJournalTypeId;
        if (preset) return preset;
      }
      const journals = await this.graphql.run(SALES_JOURNALS, {}, salesJournalsDataSchema);
      const active = journals.journalTypes.nodes.find((journal) => journal.deactivated !== true);
      if (!active) {
        throw new DomainError(
          "SAGE_SALES_JOURNAL_MISSING",
          "The Sage Active organization has no active sales journal to post invoices to.",
        );
      }
      return active.id;
    });
  }

  /** Journal id -> whether it is a bank account's or a cash box's, to name payment methods. */
  paymentAccounts(): Promise<ReadonlyMap<string, PaymentAccountKind>> {
    return this.once("paymentAccounts", async () => {
      const data = await this.graphql.run(PAYMENT_METHODS, {}, paymentMethodsDataSchema);
      const kinds = new Map<string, PaymentAccountKind>();
      for (const method of data.paymentMethods.nodes) {
        if (method.journalTypeId === null) continue;
        kinds.set(
          method.journalTypeId,
          method.type === "BANK_ACCOUNT" || method.type === "CASH" ? method.type : "OTHER",
        );
      }
      return kinds;
    });
  }
}
