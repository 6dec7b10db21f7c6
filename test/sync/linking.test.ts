/**
 * A new tenant: no HubSpot company is linked to its accounting customer yet. The sync links
 * each company whose SIREN names exactly one customer (as the card would), so its rollups
 * appear without a rep opening the card; a SIREN two companies share, or a company with no
 * strong identifier, stays unlinked; a rep's link is never moved.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { Invoice } from "@encaisse/shared";
import { ENCAISSE_COMPANY_PROPERTIES } from "../../functions/src/hubspot/properties";
import { companyPropertiesOf } from "../../functions/src/sync/rollup-properties";
import { syncTenant } from "../../functions/src/sync/sync-tenant";
import { TEST_DRIVERS } from "../../functions/test/support/store";
import { generateBook } from "../fixtures/generate";
import { expectRecord } from "./expectations";
import {
  PORTAL_ID,
  type ProviderName,
  type SyncHarness,
  parisToday,
  startSyncHarness,
} from "./harness";

const BOOK = generateBook({ seed: 23, companies: 8, invoices: 40 });
const PROVIDERS: readonly ProviderName[] = ["pennylane", "sage_active"];
const OUTSTANDING = ENCAISSE_COMPANY_PROPERTIES.outstandingAmount.name;

/** [company id, customer id] of the book's companies with these keys, sorted. */
function pairsOf(h: SyncHarness, keys: readonly string[]): string[][] {
  return keys
    .map((key) => [h.companyIds.get(key) ?? "", h.customerIds.get(key) ?? ""])
    .sort((a, b) => (a[0] ?? "").localeCompare(b[0] ?? ""));
}

async function linkedPairs(h: SyncHarness): Promise<string[][]> {
  const links = await h.backend.repos.customerLinks.list(PORTAL_ID, h.providerName);
  return links
    .map((link) => [link.companyId, link.providerCustomerId])
    .sort((a, b) => (a[0] ?? "").localeCompare(b[0] ?? ""));
}

/** A HubSpot company's SIREN as a rep would type it (empty clears it). */
function setHubSpotSiren(h: SyncHarness, key: string, siren: string): void {
  const objects = h.hubspot.portal(Number(PORTAL_ID)).objects;
  const record = objects.get("companies", h.companyIds.get(key) ?? "");
  if (record === undefined) throw new Error(`No HubSpot company for ${key}.`);
  objects.update("companies", record, { siren });
}

function byCustomer(truth: readonly Invoice[]): Map<string, Invoice[]> {
  const grouped = new Map<string, Invoice[]>();
  for (const invoice of truth) {
    grouped.set(invoice.customerId, [...(grouped.get(invoice.customerId) ?? []), invoice]);
  }
  return grouped;
}

const keys = BOOK.companies.map((company) => company.key);
const [first, second, third] = keys;
if (first === undefined || second === undefined || third === undefined) {
  throw new Error("The book needs three companies.");
}

describe.each(TEST_DRIVERS)("automatic linking (%s store)", (driver) => {
  let harness: SyncHarness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it.each(PROVIDERS)(
    "%s: a new tenant's companies whose SIREN names one customer are linked and get their rollups",
    async (provider) => {
      const h = (harness = await startSyncHarness({ book: BOOK, provider, driver, linked: false }));
      // One company HubSpot holds without any identifier: nothing to link it on.
      setHubSpotSiren(h, first, "");
      const withSiren = keys.filter((key) => key !== first && !h.withoutSiren.includes(key));

      const report = await syncTenant(h.backend, PORTAL_ID, { pageSize: 5 });

      expect(await linkedPairs(h)).toEqual(pairsOf(h, withSiren));
      const links = await h.backend.repos.customerLinks.list(PORTAL_ID, provider);
      expect(links.every((link) => link.matchedBy === "siren" && link.linkedBy === null)).toBe(
        true,
      );
      expect(report.companiesLinked).toBe(withSiren.length);
      expect(report.customersListed).toBe(BOOK.companies.length);
      // Every company read in one listing call (HubSpot lists 100 per call).
      expect(report.hubspotReadCalls).toBe(Math.ceil(BOOK.companies.length / 100));

      const truth = byCustomer(await h.truth());
      for (const key of withSiren) {
        const customerId = h.customerIds.get(key) ?? "";
        expectRecord(
          h,
          "companies",
          h.companyIds.get(key) ?? "",
          companyPropertiesOf(truth.get(customerId) ?? [], parisToday()),
        );
      }
      for (const key of keys.filter((key) => !withSiren.includes(key))) {
        expect(h.hubspotValue("companies", h.companyIds.get(key) ?? "", OUTSTANDING)).toBeNull();
      }

      const audit = await h.backend.repos.audit.list(PORTAL_ID, { limit: 200 });
      const linked = audit.entries.filter((entry) => entry.action === "customer.linked");
      expect(linked.map((entry) => entry.objectId).sort()).toEqual(
        pairsOf(h, withSiren).map(([companyId]) => companyId),
      );
      for (const entry of linked) {
        expect(entry).toMatchObject({
          actor: null,
          objectType: "company",
          details: { matchedBy: "siren", automatic: true, origin: "sync", provider },
        });
      }
    },
  );

  it("sage_active: two companies sharing a SIREN leave its customer unlinked", async () => {
    const h = (harness = await startSyncHarness({
      book: BOOK,
      provider: "sage_active",
      driver,
      linked: false,
    }));
    const shared = BOOK.companies.find((company) => company.key === first)?.siren ?? "";
    // A duplicate record in HubSpot: the second company now carries the first one's SIREN.
    setHubSpotSiren(h, first, shared);
    setHubSpotSiren(h, second, shared);
    const others = keys.filter(
      (key) => key !== first && key !== second && !h.withoutSiren.includes(key),
    );

    const report = await syncTenant(h.backend, PORTAL_ID);

    expect(await linkedPairs(h)).toEqual(pairsOf(h, others));
    expect(report.companiesLinked).toBe(others.length);
    for (const key of [first, second]) {
      expect(
        await h.backend.repos.customerLinks.byCompany(PORTAL_ID, h.companyIds.get(key) ?? ""),
      ).toBeNull();
      expect(h.hubspotValue("companies", h.companyIds.get(key) ?? "", OUTSTANDING)).toBeNull();
    }
  });

  it("pennylane: two customers sharing a SIREN are offered, not linked", async () => {
    const h = (harness = await startSyncHarness({
      book: BOOK,
      provider: "pennylane",
      driver,
      linked: false,
    }));
    const company = BOOK.companies.find((candidate) => candidate.key === third);
    if (company === undefined) throw new Error("missing company");
    // The same company filed twice in the books (an establishment typed as a customer).
    h.pennylane.ledger.createCompanyCustomer({
      name: `${company.name} (Lyon)`,
      reg_no: company.siren,
      billing_address: {
        address: company.address.line1,
        postal_code: company.address.postalCode,
        city: company.address.city,
        country_alpha2: company.address.countryCode,
      },
    });
    setHubSpotSiren(h, third, company.siren);

    await syncTenant(h.backend, PORTAL_ID);

    expect(
      await h.backend.repos.customerLinks.byCompany(PORTAL_ID, h.companyIds.get(third) ?? ""),
    ).toBeNull();
    const linked = await linkedPairs(h);
    expect(linked.some(([companyId]) => companyId === h.companyIds.get(third))).toBe(false);
    // The others were still linked.
    const others = keys.filter((key) => key !== third && !h.withoutSiren.includes(key));
    expect(linked).toEqual(pairsOf(h, others));
  });

  it("sage_active: a company a rep linked is never relinked, even to the customer its SIREN names", async () => {
    const h = (harness = await startSyncHarness({
      book: BOOK,
      provider: "sage_active",
      driver,
      linked: false,
    }));
    setHubSpotSiren(h, first, BOOK.companies.find((company) => company.key === first)?.siren ?? "");
    setHubSpotSiren(
      h,
      second,
      BOOK.companies.find((company) => company.key === second)?.siren ?? "",
    );
    const firstCompany = h.companyIds.get(first) ?? "";
    const secondCustomer = h.customerIds.get(second) ?? "";
    // The rep decided the first company is billed under the second one's customer.
    await h.backend.repos.customerLinks.link(PORTAL_ID, {
      companyId: firstCompany,
      provider: "sage_active",
      providerCustomerId: secondCustomer,
      matchedBy: "manual",
      confidence: 100,
      linkedBy: "rep-7",
    });

    await syncTenant(h.backend, PORTAL_ID);
    // A second day's pass changes nothing either.
    await syncTenant(h.backend, PORTAL_ID);

    expect(await h.backend.repos.customerLinks.byCompany(PORTAL_ID, firstCompany)).toMatchObject({
      providerCustomerId: secondCustomer,
      matchedBy: "manual",
      linkedBy: "rep-7",
    });
    // The second company's customer is the rep's; the first customer's company is taken.
    expect(
      await h.backend.repos.customerLinks.byCompany(PORTAL_ID, h.companyIds.get(second) ?? ""),
    ).toBeNull();
    expect(
      await h.backend.repos.customerLinks.byCustomer(
        PORTAL_ID,
        "sage_active",
        h.customerIds.get(first) ?? "",
      ),
    ).toBeNull();
    const others = keys.filter(
      (key) => key !== first && key !== second && !h.withoutSiren.includes(key),
    );
    expect(await linkedPairs(h)).toEqual(
      [...pairsOf(h, others), [firstCompany, secondCustomer]].sort((a, b) =>
        (a[0] ?? "").localeCompare(b[0] ?? ""),
      ),
    );
  });

  it("pennylane: a customer created after the first sync finds its company on the next one", async () => {
    const h = (harness = await startSyncHarness({
      book: BOOK,
      provider: "pennylane",
      driver,
      linked: false,
    }));
    await syncTenant(h.backend, PORTAL_ID);
    const siren = "552100554";
    const company = h.hubspot
      .portal(Number(PORTAL_ID))
      .objects.create("companies", { name: "Nouvelle Enseigne", siren: "552 100 554" });
    const customer = h.pennylane.ledger.createCompanyCustomer({
      name: "NOUVELLE ENSEIGNE SAS",
      reg_no: siren,
      billing_address: {
        address: "3 rue du Port",
        postal_code: "13002",
        city: "Marseille",
        country_alpha2: "FR",
      },
    });

    const report = await syncTenant(h.backend, PORTAL_ID);

    expect(report.companiesLinked).toBe(1);
    expect(await h.backend.repos.customerLinks.byCompany(PORTAL_ID, company.id)).toMatchObject({
      providerCustomerId: String(customer.id),
      matchedBy: "siren",
      linkedBy: null,
    });
  });
});
