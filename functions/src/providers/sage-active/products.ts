/**
 * The product each invoice line goes through, per VatCode (the table is in vat-codes.ts):
 * a tenant's own choice first, else our generic product found by code, else created in the
 * tax group of the right rate. Creating is a mutation: a failure is followed by a second
 * look-up by code (a concurrent worker, or a create that went through), never a blind retry.
 */
import { DomainError, type VatCode } from "@encaisse/shared";
import { ProviderError } from "../errors";
import type { SageGraphql } from "./graphql";
import { CREATE_PRODUCT, PRODUCTS_BY_CODE } from "./queries";
import type { SageReferenceData } from "./reference-data";
import { createProductDataSchema, productsDataSchema } from "./schemas";
import { percentageToBasisPoints, taxTargetOf } from "./vat-codes";

export type ProductOverrides = Readonly<Partial<Record<VatCode, string>>>;

export class SageProducts {
  private readonly resolved = new Map<VatCode, Promise<string>>();

  constructor(
    private readonly graphql: SageGraphql,
    private readonly referenceData: SageReferenceData,
    private readonly overrides: ProductOverrides = {},
  ) {}

  productIdFor(code: VatCode): Promise<string> {
    let promise = this.resolved.get(code);
    if (!promise) {
      promise = this.resolve(code);
      this.resolved.set(code, promise);
      promise.catch(() => this.resolved.delete(code));
    }
    return promise;
  }

  private async resolve(code: VatCode): Promise<string> {
    const override = this.overrides[code];
    if (override) return override;
    const target = taxTargetOf(code);
    const existing = await this.findByCode(target.productCode);
    if (existing) return existing;
    const taxGroupId = await this.taxGroupFor(code);
    try {
      const created = await this.graphql.run(
        CREATE_PRODUCT,
        {
          input: {
            code: target.productCode,
            name: target.productName,
            category: "SERVICE",
            salesUnitPrice: 0,
            taxGroupId,
          },
        },
        createProductDataSchema,
      );
      return created.createProduct.id;
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      const raced = await this.findByCode(target.productCode);
      if (raced) return raced;
      throw error;
    }
  }

  private async findByCode(productCode: string): Promise<string | null> {
    const data = await this.graphql.run(
      PRODUCTS_BY_CODE,
      { code: productCode },
      productsDataSchema,
    );
    const match = data.products.nodes.find(
      (product) => product.code?.toUpperCase() === productCode.toUpperCase(),
    );
    return match?.id ?? null;
  }

  private async taxGroupFor(code: VatCode): Promise<string> {
    const target = taxTargetOf(code);
    const candidates = (await this.referenceData.taxes()).filter(
      (tax) =>
        tax.inactive !== true &&
        tax.groupId !== null &&
        tax.percentage !== null &&
        percentageToBasisPoints(tax.percentage) === target.groupBasisPoints,
    );
    const preferred = candidates.find((tax) => tax.taxType === target.taxType) ?? candidates[0];
    if (!preferred?.groupId) {
      throw new DomainError(
        "SAGE_TAX_MISSING",
        `The Sage Active organization has no active tax at ${target.groupBasisPoints / 100} % for ${code}; create one or choose a product for it in Settings.`,
        { vatCode: code, basisPoints: target.groupBasisPoints },
      );
    }
    return preferred.groupId;
  }
}
