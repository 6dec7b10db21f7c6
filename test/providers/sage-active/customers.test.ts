import { describe, expect, it } from "vitest";
import { customerSchema } from "@encaisse/shared";
import type { NewCustomer } from "../../../functions/src/providers";
import { interceptOperation, seedCustomer, useSageTestbed } from "./harness";

const bed = useSageTestbed();

const newCustomer = (overrides: Partial<NewCustomer> = {}): NewCustomer => ({
  name: "Boulangerie Martin SARL",
  siren: "732829320",
  siret: null,
  vatNumber: "FR44732829320",
  emails: ["compta@martin.fr", "gerant@martin.fr"],
  billingAddress: {
    line1: "12 avenue Jean Jaurès",
    line2: null,
    postalCode: "69007",
    city: "LYON",
    countryCode: "FR",
  },
  paymentTerms: "45_days",
  externalReference: "hubspot-company-9876543210",
  ...overrides,
});

describe("who the Sage Active connection acts as", () => {
  it("probe names the organization, its SIREN, the user and the granted scopes", async () => {
    const identity = await bed().provider.probe();
    expect(identity).toEqual({
      provider: "sage_active",
      companyId: bed().emulator.defaultOrganizationId,
      companyName: "Encaisse Démo SAS",
      companySiren: "552100554",
      userEmail: "claire.moreau@encaisse-demo.fr",
      scopes: ["RDSA", "WDSA", "offline_access"],
    });
    // userProfile and organizations go without X-OrganizationId; only the detail needs it.
    expect(
      bed()
        .sent.map((operation) => operation.operationName)
        .sort(),
    ).toEqual(["SageOrganizationDetail", "SageOrganizations", "SageUserProfile"]);
  });

  it("an organization whose onboarding is not finished is refused with SAGE_ORGANIZATION_NOT_FOUND", async () => {
    const pending = bed().emulator.addOrganization({
      socialName: "Pas Prête SARL",
      status: "READY",
      onboardingCompleted: false,
    });
    await expect(bed().makeProvider({ organizationId: pending }).probe()).rejects.toMatchObject({
      code: "SAGE_ORGANIZATION_NOT_FOUND",
    });
  });
});

describe("finding customers", () => {
  it("finds a customer by SIREN, also when Sage files it under a SIRET", async () => {
    const filed = seedCustomer(bed(), { socialName: "Martin", documentId: "73282932000074" });
    const found = await bed().provider.findCustomers({ siren: "732 829 320" });
    expect(found.map((customer) => customer.providerId)).toEqual([filed.id]);
    expect(found[0]).toMatchObject({ siren: "732829320", siret: "73282932000074" });
  });

  it("falls back to the VAT number when the SIREN finds nobody", async () => {
    const filed = seedCustomer(bed(), {
      socialName: "Bäckerei Müller GmbH",
      vatNumber: "DE123456789",
      countryAcronym: "DE",
    });
    const found = await bed().provider.findCustomers({
      siren: "552100554",
      vatNumber: "de 123 456 789",
    });
    expect(found.map((customer) => customer.providerId)).toEqual([filed.id]);
  });

  it("finds a customer we created by our reference, stored as its code", async () => {
    const created = await bed().provider.createCustomer(
      newCustomer({ siren: null, vatNumber: null }),
    );
    const found = await bed().provider.findCustomers({
      externalReference: "hubspot-company-9876543210",
    });
    expect(found.map((customer) => customer.providerId)).toEqual([created.providerId]);
    expect(bed().org.customers.get(created.providerId)?.code).toBe("HSC9876543210");
  });

  it("a bare name never matches", async () => {
    seedCustomer(bed(), { socialName: "Boulangerie Martin SARL" });
    expect(await bed().provider.findCustomers({})).toEqual([]);
  });
});

describe("creating customers", () => {
  it("files the company with its SIREN, VAT number, address, e-mails and terms", async () => {
    const customer = await bed().provider.createCustomer(newCustomer());
    expect(customerSchema.parse(customer)).toEqual({
      provider: "sage_active",
      providerId: customer.providerId,
      kind: "company",
      name: "Boulangerie Martin SARL",
      siren: "732829320",
      siret: null,
      vatNumber: "FR44732829320",
      emails: ["compta@martin.fr", "gerant@martin.fr"],
      billingAddress: {
        line1: "12 avenue Jean Jaurès",
        line2: null,
        postalCode: "69007",
        city: "LYON",
        countryCode: "FR",
      },
      paymentTerms: "45_days",
      externalReference: "hubspot-company-9876543210",
    });
  });

  it("a second create for the same company returns the first one", async () => {
    const first = await bed().provider.createCustomer(newCustomer());
    const second = await bed().provider.createCustomer(newCustomer());
    expect(second.providerId).toBe(first.providerId);
    expect(bed().org.customers.size).toBe(1);
    expect(bed().sentCount("SageCreateCustomer")).toBe(1);
  });

  it("a company already filed in Sage with the same SIREN is returned, not duplicated", async () => {
    const filed = seedCustomer(bed(), {
      socialName: "Martin (saisi dans Sage)",
      documentId: "732829320",
    });
    const customer = await bed().provider.createCustomer(newCustomer());
    expect(customer.providerId).toBe(filed.id);
    expect(bed().sentCount("SageCreateCustomer")).toBe(0);
  });

  it("when a colleague files the same SIREN meanwhile, Sage's duplicate error leads to theirs", async () => {
    let theirs = "";
    interceptOperation(
      "SageCreateCustomer",
      async (request, testbed) => {
        theirs = seedCustomer(testbed, {
          socialName: "Martin (collègue)",
          documentId: "732829320",
        }).id;
        const url = new URL(request.url);
        url.pathname = "/graphql";
        return testbed.emulator.handle(
          new Request(url, {
            method: "POST",
            headers: request.headers,
            body: await request.clone().text(),
          }),
        );
      },
      bed(),
    );
    const customer = await bed().provider.createCustomer(newCustomer({ vatNumber: null }));
    expect(customer.providerId).toBe(theirs);
    expect(bed().org.customers.size).toBe(1);
  });

  it("twenty simultaneous creates make one customer", async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, () => bed().provider.createCustomer(newCustomer())),
    );
    expect(new Set(results.map((customer) => customer.providerId)).size).toBe(1);
    expect(bed().org.customers.size).toBe(1);
  });

  it("a reference that cannot fit a customer code is refused before anything is sent", async () => {
    await expect(
      bed().provider.createCustomer(
        newCustomer({ externalReference: "hubspot-company-123456789012345" }),
      ),
    ).rejects.toMatchObject({ code: "SAGE_REFERENCE_TOO_LONG" });
    expect(bed().sent).toEqual([]);
  });
});
