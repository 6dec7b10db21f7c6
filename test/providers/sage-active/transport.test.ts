import { describe, expect, it } from "vitest";
import { ProviderError } from "../../../functions/src/providers";
import {
  exchangeSageCode,
  listSageOrganizations,
  revokeSageToken,
  sageAuthorizeUrl,
  sageTokenRefresher,
} from "../../../functions/src/providers/sage-active";
import { SALES_INVOICES } from "../../../functions/src/providers/sage-active/queries";
import { invoicePageDataSchema } from "../../../functions/src/providers/sage-active/schemas";
import {
  APP,
  draftFor,
  interceptOperation,
  seedCustomer,
  serverError,
  useSageTestbed,
} from "./harness";

const bed = useSageTestbed();

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ProviderError) return error;
    throw error;
  }
  throw new Error("expected a ProviderError");
}

describe("Sage Active errors at HTTP 200 become typed errors", () => {
  it("a business rule refusal is PROVIDER_REJECTED with Sage's key in the details", async () => {
    const error = await failure(
      bed().provider.createInvoice(draftFor("6b0f6a2e-8f1d-4f57-9a43-0d5b6f8a1c01")),
    );
    expect(error.code).toBe("PROVIDER_REJECTED");
    expect(error.httpStatus).toBe(200);
    expect(error.retryable).toBe(false);
    expect(error.details).toMatchObject({
      operation: "SageCreateSalesInvoice",
      sageErrorKeys: ["sales.businessErrors.customerNotFound"],
    });
  });

  it("a user who cannot write (no WDSA) gets PROVIDER_AUTH_FAILED on a create", async () => {
    await bed().tokens.save(bed().tokensFrom(["RDSA", "offline_access"]));
    const error = await failure(
      bed().provider.createCustomer({
        name: "Lecture Seule SARL",
        siren: null,
        siret: null,
        vatNumber: null,
        emails: [],
        billingAddress: {
          line1: "1 rue A",
          line2: null,
          postalCode: "75001",
          city: "PARIS",
          countryCode: "FR",
        },
        paymentTerms: null,
        externalReference: "hubspot-company-1",
      }),
    );
    expect(error.code).toBe("PROVIDER_AUTH_FAILED");
    expect(error.details).toMatchObject({ graphqlCodes: ["AUTH_NOT_AUTHORIZED"] });
  });

  it("an organization the user cannot open is PROVIDER_AUTH_FAILED", async () => {
    const provider = bed().makeProvider({ organizationId: "0c1a6e55-4c2e-4a0e-8f5e-2b8f0c9d7e11" });
    expect((await failure(provider.getCustomer("0c1a6e55-4c2e-4a0e-8f5e-2b8f0c9d7e12"))).code).toBe(
      "PROVIDER_AUTH_FAILED",
    );
  });

  it("a page over 500 rows is refused by Sage with HC0051, read as PROVIDER_REJECTED", async () => {
    const error = await failure(
      bed().provider.graphql.run(
        SALES_INVOICES,
        { first: 501, after: null },
        invoicePageDataSchema,
      ),
    );
    expect(error.code).toBe("PROVIDER_REJECTED");
    expect(error.details).toMatchObject({ graphqlCodes: ["HC0051"] });
    expect(error.message).toMatch(/500/);
  });
});

describe("gateway refusals and tokens", () => {
  it("an expired token is refreshed once and the request replayed", async () => {
    const before = await bed().tokens.load();
    bed().emulator.expireAccessTokens();
    const filed = seedCustomer(bed(), { socialName: "DUPONT SA" });
    expect((await bed().provider.getCustomer(filed.id)).providerId).toBe(filed.id);
    expect(bed().emulator.auth.stats.refreshes).toBe(1);
    expect(bed().sentCount("SageCustomerById")).toBe(2);
    const after = await bed().tokens.load();
    // Sage's rotation is undocumented: the new refresh token is what we keep.
    expect(after?.refreshToken).not.toBe(before?.refreshToken);
    await expect(
      sageTokenRefresher(APP, { clock: bed().clock })(before?.refreshToken ?? ""),
    ).rejects.toMatchObject({ code: "PROVIDER_AUTH_FAILED" });
  });

  it("twenty requests meeting an expired token share one refresh (rotation-safe)", async () => {
    bed().emulator.expireAccessTokens();
    const filed = seedCustomer(bed(), { socialName: "DUPONT SA" });
    const savesBefore = bed().tokens.saves;
    const results = await Promise.all(
      Array.from({ length: 20 }, () => bed().provider.getCustomer(filed.id)),
    );
    expect(results.every((customer) => customer.providerId === filed.id)).toBe(true);
    expect(bed().emulator.auth.stats.refreshes).toBe(1);
    expect(bed().emulator.auth.stats.refusedGrants).toBe(0);
    expect(bed().tokens.saves - savesBefore).toBe(1);
  });

  it("a token past its lifetime is refreshed ahead of the call, once for concurrent callers", async () => {
    bed().clock.advance(9 * 3_600_000);
    const results = await Promise.all(Array.from({ length: 5 }, () => bed().provider.probe()));
    expect(results.every((identity) => identity.companySiren === "552100554")).toBe(true);
    expect(bed().emulator.auth.stats.refreshes).toBe(1);
  });

  it("a wrong subscription key is PROVIDER_AUTH_FAILED naming the API key", async () => {
    const provider = bed().makeProvider({ app: { ...APP, apiKey: "not-our-key" } });
    const error = await failure(provider.probe());
    expect(error.code).toBe("PROVIDER_AUTH_FAILED");
    expect(error.httpStatus).toBe(401);
    expect(error.details).toMatchObject({ reason: "api_key" });
  });

  it("connecting: authorize URL, code exchange, then revocation ends the connection", async () => {
    const authorize = sageAuthorizeUrl({
      authUrl: APP.authUrl,
      clientId: APP.clientId,
      redirectUri: "https://encaisse.example/oauth/sage/callback",
      state: "st4te",
    });
    expect(new URL(authorize).searchParams.get("scope")).toBe("RDSA WDSA offline_access");
    const redirect = await fetch(authorize, { redirect: "manual" });
    const callback = new URL(redirect.headers.get("location") ?? "");
    expect(callback.searchParams.get("state")).toBe("st4te");
    const tokens = await exchangeSageCode(
      APP,
      {
        code: callback.searchParams.get("code") ?? "",
        redirectUri: "https://encaisse.example/oauth/sage/callback",
      },
      { clock: bed().clock },
    );
    expect(tokens.scope).toBe("RDSA WDSA offline_access");
    expect(tokens.expiresAt).toBe(bed().clock.now() + 28_800_000);
    await revokeSageToken(APP, tokens.refreshToken);
    await expect(sageTokenRefresher(APP)(tokens.refreshToken)).rejects.toMatchObject({
      code: "PROVIDER_AUTH_FAILED",
    });
  });

  it("before an organization is chosen, the user's organizations can be listed", async () => {
    const pending = bed().emulator.addOrganization({
      socialName: "En attente SAS",
      status: "PENDING",
    });
    const organizations = await listSageOrganizations({
      app: APP,
      tokens: bed().tokens,
      clock: bed().clock,
    });
    expect(organizations.map((organization) => [organization.socialName, organization.id])).toEqual(
      [
        ["Encaisse Démo SAS", bed().emulator.defaultOrganizationId],
        ["En attente SAS", "00000000-0000-0000-0000-000000000000"],
      ],
    );
    expect(pending).not.toBe(organizations[1]?.id);
  });
});

describe("throttling and retries", () => {
  it("a 429 waits the server's Retry-After (on the virtual clock) and then succeeds", async () => {
    const filed = seedCustomer(bed(), { socialName: "DUPONT SA" });
    bed().emulator.faults.rateLimitStorm({ requests: 2 });
    const started = bed().clock.now();
    const realStart = Date.now();
    expect((await bed().provider.getCustomer(filed.id)).providerId).toBe(filed.id);
    expect(bed().emulator.stats.rateLimited).toBe(2);
    expect(bed().clock.now() - started).toBeGreaterThanOrEqual(2_000);
    expect(Date.now() - realStart).toBeLessThan(1_000);
  });

  it("a 5xx on a query is retried until it succeeds", async () => {
    const filed = seedCustomer(bed(), { socialName: "DUPONT SA" });
    interceptOperation("SageCustomerById", () => serverError(502), bed(), 2);
    expect((await bed().provider.getCustomer(filed.id)).providerId).toBe(filed.id);
    expect(bed().sentCount("SageCustomerById")).toBe(3);
  });

  it("a query failing with 5xx every time gives up with PROVIDER_UNAVAILABLE", async () => {
    interceptOperation("SageCustomerById", () => serverError(500), bed(), 10);
    const error = await failure(bed().provider.getCustomer("0c1a6e55-4c2e-4a0e-8f5e-2b8f0c9d7e11"));
    expect(error.code).toBe("PROVIDER_UNAVAILABLE");
    expect(bed().sentCount("SageCustomerById")).toBe(4);
  });

  it("a 5xx on a mutation is sent once, never retried", async () => {
    interceptOperation("SageCreateCustomer", () => serverError(500), bed());
    const error = await failure(
      bed().provider.createCustomer({
        name: "Nouvelle SARL",
        siren: "732829320",
        siret: null,
        vatNumber: null,
        emails: [],
        billingAddress: {
          line1: "1 rue A",
          line2: null,
          postalCode: "75001",
          city: "PARIS",
          countryCode: "FR",
        },
        paymentTerms: null,
        externalReference: "hubspot-company-2",
      }),
    );
    expect(error.code).toBe("PROVIDER_UNAVAILABLE");
    expect(bed().sentCount("SageCreateCustomer")).toBe(1);
    expect(bed().org.customers.size).toBe(0);
  });
});
