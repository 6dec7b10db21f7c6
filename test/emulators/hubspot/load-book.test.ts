import { isVatCode, parseDecimal } from "@encaisse/shared";
import { beforeAll, describe, expect, it } from "vitest";
import type { Book } from "../../fixtures/book";
import { generateBook } from "../../fixtures/generate";
import { DEFAULT_DEAL_STAGES, HubSpotEmulator, type LoadedBook } from "./index";
import { HubSpotTestClient, type PageBody, type RecordBody } from "./test-client";

const PORTAL = 901;

let book: Book;
let emulator: HubSpotEmulator;
let loaded: LoadedBook;

beforeAll(() => {
  book = generateBook();
  emulator = new HubSpotEmulator();
  loaded = emulator.loadBook(PORTAL, book);
});

const portal = () => emulator.portal(PORTAL);
const value = (type: "companies" | "deals" | "line_items" | "contacts", id: string, name: string) =>
  portal().objects.get(type, id)?.values.get(name);

describe("a portal seeded from the book", () => {
  it("holds one company per book company, with its name, domain, address and phone", () => {
    expect(Object.keys(loaded.companyIds)).toHaveLength(book.companies.length);
    expect(portal().objects.count("companies")).toBe(book.companies.length);
    const renamed = new Set(loaded.renamed);
    for (const seed of book.companies) {
      const id = loaded.companyIds[seed.key] ?? "";
      if (!renamed.has(seed.key)) expect(value("companies", id, "name")).toBe(seed.name);
      expect(value("companies", id, "domain")).toBe(seed.domain);
      expect(value("companies", id, "zip")).toBe(seed.address.postalCode);
      expect(value("companies", id, "city")).toBe(seed.address.city);
      expect(value("companies", id, "phone")).toBe(seed.phone);
    }
  });

  it("leaves the SIREN empty on about 10 % of companies and holds the book's SIREN on the others", () => {
    const share = loaded.withoutSiren.length / book.companies.length;
    expect(share).toBeGreaterThan(0.04);
    expect(share).toBeLessThan(0.18);
    const missing = new Set(loaded.withoutSiren);
    for (const seed of book.companies) {
      const siren = value("companies", loaded.companyIds[seed.key] ?? "", "siren");
      expect(siren).toBe(missing.has(seed.key) ? undefined : seed.siren);
    }
  });

  it("names about 5 % of companies slightly differently from the ledger", () => {
    expect(loaded.renamed.length).toBeGreaterThan(0);
    expect(loaded.renamed.length / book.companies.length).toBeLessThan(0.12);
    for (const key of loaded.renamed) {
      const seed = book.companies.find((company) => company.key === key);
      const name = value("companies", loaded.companyIds[key] ?? "", "name") ?? "";
      expect(name).not.toBe(seed?.name);
      // Still recognisably the same company: the first word survives.
      expect(name.toLowerCase()).toContain((seed?.name.split(" ")[0] ?? "").toLowerCase());
    }
  });

  it("gives each company 1 to 3 contacts associated to it, the book's contact first as primary", () => {
    for (const seed of book.companies) {
      const companyId = loaded.companyIds[seed.key] ?? "";
      const contacts = portal().associations.list("companies", companyId, "contacts");
      expect(contacts.length).toBeGreaterThanOrEqual(1);
      expect(contacts.length).toBeLessThanOrEqual(3);
      const emails = contacts.map((contact) => value("contacts", contact.toId, "email"));
      expect(emails).toContain(seed.contact.email);
    }
    expect(loaded.counts.contacts).toBe(portal().objects.count("contacts"));
  });

  it("assigns every company, contact and deal to one of a few owners", () => {
    expect(loaded.ownerIds).toHaveLength(3);
    const owners = new Set(loaded.ownerIds);
    for (const type of ["companies", "contacts", "deals"] as const) {
      for (const record of portal().objects.all(type))
        expect(owners.has(record.values.get("hubspot_owner_id") ?? "")).toBe(true);
    }
  });

  it("has open deals in several stages of the default pipeline and won deals with line items", () => {
    const deals = portal().objects.all("deals");
    const stages = new Set(deals.map((deal) => deal.values.get("dealstage")));
    const known = new Set<string>(DEFAULT_DEAL_STAGES.map(([stage]) => stage));
    for (const stage of stages) expect(known.has(stage ?? "")).toBe(true);
    expect(stages.size).toBeGreaterThanOrEqual(4);
    expect(loaded.counts.openDeals).toBeGreaterThan(0);
    const won = deals.filter((deal) => deal.values.get("dealstage") === "closedwon");
    expect(won).toHaveLength(loaded.counts.wonDeals);
    for (const deal of won) {
      const items = portal().associations.list("deals", deal.id, "line_items");
      expect(items.length).toBeGreaterThan(0);
      expect(portal().associations.list("deals", deal.id, "companies").length).toBe(1);
    }
  });

  it("builds line items from the products, with quantity, price, discount and our VAT code, and the deal amount is their sum", async () => {
    const won = portal()
      .objects.all("deals")
      .find((deal) => deal.values.get("dealstage") === "closedwon");
    if (won === undefined) throw new Error("the seed has no won deal");
    const items = portal().associations.list("deals", won.id, "line_items");
    for (const item of items) {
      expect(value("line_items", item.toId, "quantity")).toMatch(/^\d+(\.\d+)?$/);
      expect(value("line_items", item.toId, "price")).toMatch(/^\d+(\.\d+)?$/);
      expect(isVatCode(value("line_items", item.toId, "encaisse_vat_code") ?? "")).toBe(true);
      expect(Object.values(loaded.productIds)).toContain(
        value("line_items", item.toId, "hs_product_id"),
      );
    }
    const discounted = portal()
      .objects.all("line_items")
      .filter((item) => item.values.has("hs_discount_percentage"));
    expect(discounted.length).toBeGreaterThan(0);
    // Summed exactly, in millionths, from the line items' net amounts.
    const millionths = (text: string) => {
      const decimal = parseDecimal(text);
      return decimal.units * 10n ** BigInt(6 - decimal.scale);
    };
    const sum = items.reduce(
      (total, item) => total + millionths(value("line_items", item.toId, "amount") ?? "0"),
      0n,
    );
    expect(millionths(won.values.get("amount") ?? "")).toBe(sum);
  });

  it("gives companies with notes a last activity date, readable through the API", async () => {
    const withActivity = portal()
      .objects.all("companies")
      .filter((company) => company.values.has("notes_last_updated"));
    expect(withActivity.length).toBeGreaterThan(book.companies.length / 2);
    expect(loaded.counts.notes).toBe(portal().objects.count("notes"));
    const company = withActivity[0];
    if (company === undefined) throw new Error("no company with activity");
    const notes = portal().associations.list("companies", company.id, "notes");
    const latest = notes
      .map((note) => portal().objects.get("notes", note.toId)?.values.get("hs_timestamp") ?? "")
      .sort()
      .at(-1);
    expect(company.values.get("notes_last_updated")).toBe(latest);
    const hubspot = new HubSpotTestClient(emulator, emulator.installApp(PORTAL).accessToken);
    const reply = await hubspot.get<RecordBody>(
      `/crm/v3/objects/companies/${company.id}?properties=notes_last_updated,notes_last_contacted`,
    );
    expect(reply.body.properties.notes_last_updated).toBe(latest);
  });

  it("defines the custom siren and encaisse_vat_code properties it fills", () => {
    expect(portal().properties.get("companies", "siren")).toMatchObject({
      type: "string",
      hubspotDefined: false,
    });
    expect(
      portal()
        .properties.get("line_items", "encaisse_vat_code")
        ?.options.map((option) => option.value),
    ).toContain("FR_200");
    expect(portal().properties.get("products", "encaisse_vat_code")).toBeDefined();
  });

  it("is found by search like any CRM data (won deals of a company)", async () => {
    const hubspot = new HubSpotTestClient(emulator, emulator.installApp(PORTAL).accessToken);
    const companyId = loaded.companyIds[book.companies[0]?.key ?? ""] ?? "";
    const reply = await hubspot.post<PageBody>("/crm/v3/objects/deals/search", {
      filterGroups: [
        {
          filters: [
            { propertyName: "associations.company", operator: "EQ", value: companyId },
            { propertyName: "dealstage", operator: "EQ", value: "closedwon" },
          ],
        },
      ],
    });
    const expected = portal()
      .associations.list("companies", companyId, "deals")
      .filter((deal) => value("deals", deal.toId, "dealstage") === "closedwon");
    expect(reply.body.total).toBe(expected.length);
  });

  it("is deterministic: the same book gives the same CRM", () => {
    const again = new HubSpotEmulator().loadBook(PORTAL, book);
    expect(again.withoutSiren).toEqual(loaded.withoutSiren);
    expect(again.renamed).toEqual(loaded.renamed);
    expect(again.counts).toEqual(loaded.counts);
    expect(again.companyIds).toEqual(loaded.companyIds);
  });
});
