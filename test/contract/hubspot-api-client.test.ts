/**
 * HubSpot's official Node client (`@hubspot/api-client` 13.5, the one the backend uses) works
 * against the emulator: msw intercepts its node-fetch calls and hands them to the emulator, and
 * every exchange the client makes is also checked against HubSpot's specs on the way.
 */
import { Client } from "@hubspot/api-client";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import {
  ASSOCIATION_TYPE_IDS,
  HubSpotEmulator,
  type HubSpotEmulatorOptions,
  hubspotMswHandlers,
  type InstalledApp,
} from "../emulators/hubspot";
import { type HubSpotContractReport, validateHubSpotExchange } from "./hubspot-contract";

const PORTAL = 5_501;
const BASE_PATH = "https://api.hubapi.com";

const server = setupServer();
const reports: HubSpotContractReport[] = [];

let emulator: HubSpotEmulator;
let installed: InstalledApp;
let client: Client;

beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterAll(() => server.close());

/** A fresh emulator behind msw, the app installed, and a client holding its token. */
function useEmulator(options: HubSpotEmulatorOptions = {}): void {
  emulator = new HubSpotEmulator(options);
  server.use(
    ...hubspotMswHandlers(emulator, {
      onExchange: async (request, response) =>
        void reports.push(...(await validateHubSpotExchange(request, response))),
    }),
  );
  installed = emulator.installApp(PORTAL);
  client = new Client({ accessToken: installed.accessToken, basePath: BASE_PATH });
}

beforeEach(() => useEmulator());

afterEach(() => {
  server.resetHandlers();
  // Every call the client made that a provided spec covers matched it, both ways.
  const covered = reports.filter((report) => report.covered);
  reports.length = 0;
  expect(covered.flatMap((report) => report.errors)).toEqual([]);
});

describe("@hubspot/api-client against the emulator", () => {
  it("creates, reads, searches and batch-updates companies", async () => {
    const created = await client.crm.companies.basicApi.create({
      properties: { name: "Atelier Dubois", domain: "atelier-dubois.fr" },
      associations: [],
    });
    expect(created.createdAt).toBeInstanceOf(Date);
    const read = await client.crm.companies.basicApi.getById(created.id, ["name", "city"]);
    expect(read.properties).toMatchObject({
      name: "Atelier Dubois",
      city: null,
      hs_object_id: created.id,
    });
    const found = await client.crm.companies.searchApi.doSearch({
      filterGroups: [
        {
          filters: [
            { propertyName: "domain", operator: "EQ" as never, value: "atelier-dubois.fr" },
          ],
        },
      ],
      sorts: ["-createdate"],
      properties: ["name"],
      limit: 10,
      after: "0",
    });
    expect(found.results.map((company) => company.id)).toEqual([created.id]);
    const updated = await client.crm.companies.batchApi.update({
      inputs: [{ id: created.id, properties: { city: "Lyon" } }],
    });
    expect(updated.results[0]?.properties.city).toBe("Lyon");
    expect(reports.filter((report) => report.covered).length).toBe(8);
  });

  it("reads a won deal's line items through the associations v4 API", async () => {
    const deal = await client.crm.deals.basicApi.create({
      properties: { dealname: "Refonte", dealstage: "closedwon" },
      associations: [],
    });
    await client.crm.lineItems.batchApi.create({
      inputs: [
        {
          properties: { name: "Conception graphique (jour)", quantity: "3", price: "650.00" },
          associations: [
            {
              to: { id: deal.id },
              types: [
                {
                  associationCategory: "HUBSPOT_DEFINED" as never,
                  associationTypeId: ASSOCIATION_TYPE_IDS.lineItemToDeal,
                },
              ],
            },
          ],
        },
      ],
    });
    const links = await client.crm.associations.v4.basicApi.getPage("deals", deal.id, "line_items");
    const items = await client.crm.lineItems.batchApi.read({
      inputs: links.results.map((link) => ({ id: link.toObjectId })),
      properties: ["name", "quantity", "price", "amount"],
      propertiesWithHistory: [],
    });
    expect(items.results.map((item) => item.properties.amount)).toEqual(["1950"]);
  });

  it("surfaces HubSpot's error body: an unknown property is a 400 VALIDATION_ERROR", async () => {
    const failure = await client.crm.companies.basicApi
      .create({ properties: { encaisse_nope: "1" }, associations: [] })
      .catch((error: unknown) => error);
    expect(failure).toMatchObject({
      code: 400,
      body: { category: "VALIDATION_ERROR", status: "error" },
    });
  });

  it("recognises the emulator's search 429 as the secondly limit and retries it", async () => {
    // The limiter's clock stands still until the limit bites, then has moved on by the time the
    // client retries (it waits a second): the outcome does not depend on the machine's speed.
    const start = Date.now();
    useEmulator({ rateLimitNow: () => (emulator.stats.rateLimited === 0 ? start : start + 2_000) });
    const retrying = new Client({
      accessToken: installed.accessToken,
      basePath: BASE_PATH,
      numberOfApiCallRetries: 2,
    });
    const noise = vi.spyOn(console, "error").mockImplementation(() => undefined);
    for (let index = 0; index < 5; index += 1) {
      await retrying.crm.companies.searchApi.doSearch({
        filterGroups: [],
        sorts: [],
        properties: [],
        limit: 1,
        after: "0",
      });
    }
    const page = await retrying.crm.companies.searchApi.doSearch({
      filterGroups: [],
      sorts: [],
      properties: [],
      limit: 1,
      after: "0",
    });
    expect(page.total).toBe(0);
    expect(emulator.stats.rateLimitedByPolicy).toEqual({ SECONDLY: 1 });
    expect(noise).toHaveBeenCalledWith(expect.stringContaining("[429]"));
    noise.mockRestore();
  });

  it("retries a 502 and gets the answer", async () => {
    const retrying = new Client({
      accessToken: installed.accessToken,
      basePath: BASE_PATH,
      numberOfApiCallRetries: 2,
    });
    const noise = vi.spyOn(console, "error").mockImplementation(() => undefined);
    emulator.faults.serverErrors({ requests: 1 });
    const page = await retrying.crm.companies.basicApi.getPage(10);
    expect(page.results).toEqual([]);
    expect(emulator.stats.byStatus).toMatchObject({ "502": 1, "200": 1 });
    noise.mockRestore();
  });

  it("refreshes its access token with the OAuth API and carries on", async () => {
    const tokens = await client.oauth.tokensApi.create(
      "refresh_token",
      undefined,
      undefined,
      emulator.app.clientId,
      emulator.app.clientSecret,
      installed.refreshToken,
    );
    expect(tokens).toMatchObject({ refreshToken: installed.refreshToken, expiresIn: 1800 });
    client.setAccessToken(tokens.accessToken);
    const info = await client.oauth.accessTokensApi.get(tokens.accessToken);
    expect(info).toMatchObject({ hubId: PORTAL, appId: emulator.app.appId });
  });

  it("lists the portal's owners", async () => {
    const owners = await client.crm.owners.ownersApi.getPage();
    expect(owners.results.map((owner) => owner.email)).toEqual([installed.userEmail]);
  });
});
