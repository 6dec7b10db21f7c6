import { describe, expect, it } from "vitest";
import { generateBook } from "../fixtures/generate";
import { ASSOCIATION_TYPE_IDS, ENCAISSE_HUBSPOT_SCOPES } from "../emulators/hubspot";
import { countCalls, useHubSpot } from "./harness";

const hubspot = useHubSpot();
const book = generateBook({ companies: 12, invoices: 120 });

describe("reading a company", () => {
  it("a seeded company reads back with its SIREN, address, owner and phone", async () => {
    const { crm, emulator, portalId } = hubspot.connect();
    const loaded = emulator.loadBook(portalId, book);
    const seed = book.companies.find((company) => !loaded.withoutSiren.includes(company.key));
    if (!seed) throw new Error("the book has no company with a SIREN");
    const id = loaded.companyIds[seed.key] ?? "";

    const company = await crm.getCompany(id);

    expect(company).toMatchObject({
      id,
      domain: seed.domain,
      siren: seed.siren,
      phone: seed.phone,
      address: {
        line1: seed.address.line1,
        postalCode: seed.address.postalCode,
        city: seed.address.city,
        countryCode: seed.address.countryCode,
      },
    });
    expect(loaded.ownerIds).toContain(company.ownerId);
  });

  it("a company whose SIREN is typed in groups, in Belgium, with a custom SIREN property", async () => {
    const { crm, portal } = hubspot.connect({ crm: { sirenProperty: "numero_siren" } });
    portal.properties.create("companies", {
      name: "numero_siren",
      label: "N° SIREN",
      type: "string",
      fieldType: "text",
      groupName: "companyinformation",
    });
    const record = portal.objects.create("companies", {
      name: "Brasserie du Nord SRL",
      numero_siren: "732 829 320",
      address: "Rue Neuve 12",
      zip: "1000",
      city: "Bruxelles",
      country: "Belgique",
    });

    const company = await crm.getCompany(record.id);

    expect(company.siren).toBe("732829320");
    expect(company.address).toEqual({
      line1: "Rue Neuve 12",
      line2: null,
      postalCode: "1000",
      city: "Bruxelles",
      countryCode: "BE",
    });
  });

  it("the last activity is the last note logged on the company", async () => {
    const { crm, portal } = hubspot.connect();
    const company = portal.objects.create("companies", { name: "Atelier Bois" });
    const note = portal.objects.create("notes", {
      hs_note_body: "Appel",
      hs_timestamp: "2026-11-20T14:00:00.000Z",
    });
    portal.associate(
      { type: "notes", id: note.id },
      { type: "companies", id: company.id },
      ASSOCIATION_TYPE_IDS.noteToCompany,
    );

    expect((await crm.getCompany(company.id)).lastActivityAt).toBe("2026-11-20T14:00:00.000Z");
  });

  it("an unknown company is NOT_FOUND", async () => {
    const { crm } = hubspot.connect();
    await expect(crm.getCompany("123456789")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("from a contact or a deal to its company", () => {
  it("the primary company wins over other associated companies", async () => {
    const { crm, portal } = hubspot.connect();
    const [first, primary] = [
      portal.objects.create("companies", { name: "Filiale" }),
      portal.objects.create("companies", { name: "Maison mère" }),
    ];
    const contact = portal.objects.create("contacts", { email: "achats@example.fr" });
    const deal = portal.objects.create("deals", { dealname: "Maintenance 2027" });
    for (const [type, id, plain, primaryType] of [
      [
        "contacts",
        contact.id,
        ASSOCIATION_TYPE_IDS.contactToCompany,
        ASSOCIATION_TYPE_IDS.contactToCompanyPrimary,
      ],
      [
        "deals",
        deal.id,
        ASSOCIATION_TYPE_IDS.dealToCompany,
        ASSOCIATION_TYPE_IDS.dealToCompanyPrimary,
      ],
    ] as const) {
      portal.associate({ type, id }, { type: "companies", id: first.id }, plain);
      portal.associate({ type, id }, { type: "companies", id: primary.id }, primaryType);
    }

    expect(await crm.companyOf("contacts", contact.id)).toBe(primary.id);
    expect(await crm.companyOf("deals", deal.id)).toBe(primary.id);
  });

  it("without a primary, the first associated company; without any, null", async () => {
    const { crm, portal } = hubspot.connect();
    const company = portal.objects.create("companies", { name: "Seule SARL" });
    const linked = portal.objects.create("contacts", { email: "compta@seule.fr" });
    const alone = portal.objects.create("contacts", { email: "perso@example.fr" });
    portal.associate(
      { type: "contacts", id: linked.id },
      { type: "companies", id: company.id },
      ASSOCIATION_TYPE_IDS.contactToCompany,
    );

    expect(await crm.companyOf("contacts", linked.id)).toBe(company.id);
    expect(await crm.companyOf("contacts", alone.id)).toBeNull();
  });
});

describe("a deal ready for invoicing", () => {
  it("line items keep HubSpot's exact decimals and take their product's VAT code when they have none", async () => {
    const { crm, portal, emulator } = hubspot.connect();
    const company = portal.objects.create("companies", { name: "Client SAS" });
    const reducedRate = portal.objects.create("products", {
      name: "Formation",
      price: "800",
      encaisse_vat_code: "FR_100",
    });
    const deal = portal.objects.create("deals", {
      dealname: "Audit et formation",
      dealstage: "closedwon",
      amount: "2651.85",
      deal_currency_code: "EUR",
      closedate: "2026-11-20T10:00:00.000Z",
    });
    portal.associate(
      { type: "deals", id: deal.id },
      { type: "companies", id: company.id },
      ASSOCIATION_TYPE_IDS.dealToCompanyPrimary,
    );
    const [audit, training] = portal.objects.createMany("line_items", [
      {
        name: "Audit",
        quantity: "1.5",
        price: "1234.5678",
        hs_discount_percentage: "12.5",
        encaisse_vat_code: "FR_200",
        hs_position_on_quote: "0",
      },
      {
        name: "Formation",
        quantity: "1",
        price: "800",
        hs_product_id: reducedRate.id,
        encaisse_vat_code: null,
        hs_position_on_quote: "1",
      },
    ]);
    for (const item of [training, audit]) {
      portal.associate(
        { type: "line_items", id: item?.id ?? "" },
        { type: "deals", id: deal.id },
        ASSOCIATION_TYPE_IDS.lineItemToDeal,
      );
    }

    const productReads = countCalls(emulator, "POST /crm/v3/objects/products/batch/read");

    const forInvoicing = await crm.getDealForInvoicing(deal.id);

    expect(forInvoicing.companyId).toBe(company.id);
    expect(forInvoicing.deal).toMatchObject({
      id: deal.id,
      name: "Audit et formation",
      stage: "closedwon",
      amount: "2651.85",
      currency: "EUR",
      closeDate: "2026-11-20",
    });
    expect(forInvoicing.lineItems).toEqual([
      {
        id: audit?.id,
        name: "Audit",
        quantity: "1.5",
        unitPriceExclTax: "1234.5678",
        discountPercent: "12.5",
        vatCode: "FR_200",
      },
      {
        id: training?.id,
        name: "Formation",
        quantity: "1",
        unitPriceExclTax: "800",
        discountPercent: null,
        vatCode: "FR_100",
      },
    ]);
    expect(productReads()).toBe(1);
  });

  it("150 line items are read in two batches of at most 100", async () => {
    const { crm, portal, emulator } = hubspot.connect();
    const deal = portal.objects.create("deals", { dealname: "Gros volume" });
    const items = portal.objects.createMany(
      "line_items",
      Array.from({ length: 150 }, (_, index) => ({
        name: `Pièce ${index + 1}`,
        quantity: String(index + 1),
        price: "0.0125",
        encaisse_vat_code: "FR_200",
      })),
    );
    for (const item of items) {
      portal.associate(
        { type: "line_items", id: item.id },
        { type: "deals", id: deal.id },
        ASSOCIATION_TYPE_IDS.lineItemToDeal,
      );
    }

    const lineItemReads = countCalls(emulator, "POST /crm/v3/objects/line_items/batch/read");

    const { lineItems, companyId } = await crm.getDealForInvoicing(deal.id);

    expect(lineItems.map((item) => item.id)).toEqual(items.map((item) => item.id));
    expect(lineItems[149]).toMatchObject({ quantity: "150", unitPriceExclTax: "0.0125" });
    expect(companyId).toBeNull();
    expect(lineItemReads()).toBe(2);
  });
});

describe("what the card and the side panel show around a company", () => {
  it("open deals leave won and lost ones out, soonest close date first", async () => {
    const { crm, portal } = hubspot.connect();
    const company = portal.objects.create("companies", { name: "Menuiserie Roux" });
    const deals = [
      {
        dealname: "Extension atelier",
        dealstage: "contractsent",
        amount: "18000",
        closedate: "2027-01-15T10:00:00Z",
      },
      {
        dealname: "Escalier",
        dealstage: "qualifiedtobuy",
        amount: "4200.50",
        closedate: "2026-12-10T10:00:00Z",
      },
      {
        dealname: "Fenêtres",
        dealstage: "closedwon",
        amount: "9000",
        closedate: "2026-10-01T10:00:00Z",
      },
      {
        dealname: "Parquet",
        dealstage: "closedlost",
        amount: "3000",
        closedate: "2026-09-01T10:00:00Z",
      },
    ].map((properties) => portal.objects.create("deals", properties));
    for (const deal of deals) {
      portal.associate(
        { type: "deals", id: deal.id },
        { type: "companies", id: company.id },
        ASSOCIATION_TYPE_IDS.dealToCompanyPrimary,
      );
    }

    const open = await crm.openDealsOfCompany(company.id);

    expect(open.map((deal) => [deal.name, deal.amountCents, deal.closeDate])).toEqual([
      ["Escalier", 420_050, "2026-12-10"],
      ["Extension atelier", 1_800_000, "2027-01-15"],
    ]);
  });

  it("contacts come with name, email, phone and job title, at most as many as asked", async () => {
    const { crm, portal } = hubspot.connect();
    const company = portal.objects.create("companies", { name: "Cabinet Lefèvre" });
    const contacts = portal.objects.createMany("contacts", [
      {
        firstname: "Élise",
        lastname: "Lefèvre",
        email: "elise@lefevre.fr",
        jobtitle: "Gérante",
        phone: "+33 1 23 45 67 89",
      },
      {
        firstname: "Marc",
        lastname: "Dubois",
        email: "marc@lefevre.fr",
        mobilephone: "+33 6 12 34 56 78",
      },
      { email: "compta@lefevre.fr" },
    ]);
    for (const contact of contacts) {
      portal.associate(
        { type: "contacts", id: contact.id },
        { type: "companies", id: company.id },
        ASSOCIATION_TYPE_IDS.contactToCompany,
      );
    }

    const two = await crm.contactsOfCompany(company.id, 2);
    const all = await crm.contactsOfCompany(company.id, 10);

    expect(two).toEqual([
      {
        id: contacts[0]?.id,
        name: "Élise Lefèvre",
        email: "elise@lefevre.fr",
        phone: "+33 1 23 45 67 89",
        jobTitle: "Gérante",
      },
      {
        id: contacts[1]?.id,
        name: "Marc Dubois",
        email: "marc@lefevre.fr",
        phone: "+33 6 12 34 56 78",
        jobTitle: null,
      },
    ]);
    expect(all[2]).toEqual({
      id: contacts[2]?.id,
      name: null,
      email: "compta@lefevre.fr",
      phone: null,
      jobTitle: null,
    });
  });

  it("an owner reads as a name and an email; an unknown one is NOT_FOUND", async () => {
    const { crm, portal } = hubspot.connect();
    const owner = portal.owners.add({
      firstName: "Camille",
      lastName: "Martin",
      email: "camille.martin@agence.fr",
    });

    expect(await crm.getOwner(owner.id)).toEqual({
      id: owner.id,
      name: "Camille Martin",
      email: "camille.martin@agence.fr",
      phone: null,
    });
    await expect(crm.getOwner("999999")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("searching companies from the side panel", () => {
  it("finds a company by a word of its name, by its domain, and by its SIREN however it is typed", async () => {
    const { crm, portal, emulator } = hubspot.connect();
    const target = portal.objects.create("companies", {
      name: "Boulangerie Martin",
      domain: "boulangerie-martin.fr",
      siren: "732829320",
    });
    portal.objects.create("companies", {
      name: "Martinez Transports",
      domain: "martinez.fr",
      siren: "552100554",
    });
    portal.objects.create("companies", {
      name: "Fromagerie Blanc",
      domain: "blanc.fr",
      siren: "542051180",
    });

    const byName = await crm.searchCompanies("boulangerie");
    const byDomain = await crm.searchCompanies("boulangerie-martin.fr");
    const bySiren = await crm.searchCompanies("732 829 320");
    const bySiret = await crm.searchCompanies("73282932000074");

    const expected = {
      id: target.id,
      name: "Boulangerie Martin",
      domain: "boulangerie-martin.fr",
      siren: "732829320",
    };
    expect(byName).toEqual([expected]);
    expect(byDomain).toEqual([expected]);
    expect(bySiren).toEqual([expected]);
    expect(bySiret).toEqual([expected]);
    expect(emulator.stats.rateLimitedByPolicy.SECONDLY ?? 0).toBe(0);
  });

  it("twelve searches in a burst stay within HubSpot's 5 searches per second", async () => {
    const { crm, portal, emulator } = hubspot.connect();
    portal.objects.create("companies", { name: "Quincaillerie Petit" });
    const started = hubspot.clock.now();

    const answers = await Promise.all(
      Array.from({ length: 12 }, () => crm.searchCompanies("quincaillerie")),
    );

    expect(answers.every((found) => found.length === 1)).toBe(true);
    expect(emulator.stats.rateLimitedByPolicy.SECONDLY ?? 0).toBe(0);
    // 12 searches at 5 per second cannot all fit in less than two seconds.
    expect(hubspot.clock.now() - started).toBeGreaterThanOrEqual(2_000);
  });
});

describe("permissions", () => {
  it("an install without the deals scope is FORBIDDEN, naming the scope to grant", async () => {
    const { crm, portal } = hubspot.connect({
      scopes: ENCAISSE_HUBSPOT_SCOPES.filter((scope) => !scope.startsWith("crm.objects.deals")),
    });
    const deal = portal.objects.create("deals", { dealname: "Sans accès" });

    const failure = await crm.getDealForInvoicing(deal.id).catch((error: unknown) => error);

    expect(failure).toMatchObject({
      code: "FORBIDDEN",
      details: { missingScopes: expect.arrayContaining(["crm.objects.deals.read"]) },
    });
  });
});
