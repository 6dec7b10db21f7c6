import { beforeEach, describe, expect, it } from "vitest";
import { ManualClock } from "../common/clock";
import { HubSpotEmulator, SEARCH_MAX_RESULTS } from "./index";
import { type ErrorBody, HubSpotTestClient, type PageBody } from "./test-client";

const PORTAL = 601;

let clock: ManualClock;
let emulator: HubSpotEmulator;
let hubspot: HubSpotTestClient;

beforeEach(() => {
  clock = new ManualClock("2026-11-23T09:00:00Z");
  emulator = new HubSpotEmulator({ now: clock.now });
  hubspot = new HubSpotTestClient(emulator, emulator.installApp(PORTAL).accessToken);
});

/** Companies with known values; search must find exactly the expected names. */
function seedCompanies(): void {
  const portal = emulator.portal(PORTAL);
  portal.objects.createMany("companies", [
    {
      name: "Atelier Dubois SARL",
      city: "Lyon",
      numberofemployees: "12",
      annualrevenue: "950000.50",
    },
    { name: "Boulangerie Martin", city: "Paris", numberofemployees: "4" },
    { name: "Cabinet Meyer SAS", city: "lyon", numberofemployees: "30", annualrevenue: "2400000" },
    { name: "Dubois Frères", city: "Nantes", numberofemployees: "12" },
    { name: "Éditions du Quercy", city: "Cahors" },
  ]);
}

const namesOf = (page: PageBody) => page.results.map((record) => record.properties.name);

const search = async (body: Record<string, unknown>) => {
  const reply = await hubspot.post<PageBody>("/crm/v3/objects/companies/search", {
    properties: ["name"],
    limit: 100,
    ...body,
  });
  expect(reply.status).toBe(200);
  return reply.body;
};

const filter = (propertyName: string, operator: string, extra: Record<string, unknown> = {}) => ({
  filterGroups: [{ filters: [{ propertyName, operator, ...extra }] }],
});

describe("search filters", () => {
  beforeEach(seedCompanies);

  it.each([
    [
      "EQ ignores case",
      filter("city", "EQ", { value: "LYON" }),
      ["Atelier Dubois SARL", "Cabinet Meyer SAS"],
    ],
    [
      "NEQ also keeps records without the value",
      filter("city", "NEQ", { value: "lyon" }),
      ["Boulangerie Martin", "Dubois Frères", "Éditions du Quercy"],
    ],
    [
      "GT compares numbers as numbers",
      filter("numberofemployees", "GT", { value: "9" }),
      ["Atelier Dubois SARL", "Cabinet Meyer SAS", "Dubois Frères"],
    ],
    ["GTE", filter("numberofemployees", "GTE", { value: "30" }), ["Cabinet Meyer SAS"]],
    ["LT", filter("numberofemployees", "LT", { value: "12" }), ["Boulangerie Martin"]],
    [
      "LTE",
      filter("numberofemployees", "LTE", { value: "12" }),
      ["Atelier Dubois SARL", "Boulangerie Martin", "Dubois Frères"],
    ],
    [
      "BETWEEN is inclusive",
      filter("annualrevenue", "BETWEEN", { value: "950000.5", highValue: "2400000" }),
      ["Atelier Dubois SARL", "Cabinet Meyer SAS"],
    ],
    [
      "IN",
      filter("city", "IN", { values: ["paris", "nantes"] }),
      ["Boulangerie Martin", "Dubois Frères"],
    ],
    [
      "NOT_IN",
      filter("city", "NOT_IN", { values: ["lyon"] }),
      ["Boulangerie Martin", "Dubois Frères", "Éditions du Quercy"],
    ],
    [
      "HAS_PROPERTY",
      filter("annualrevenue", "HAS_PROPERTY"),
      ["Atelier Dubois SARL", "Cabinet Meyer SAS"],
    ],
    ["NOT_HAS_PROPERTY", filter("numberofemployees", "NOT_HAS_PROPERTY"), ["Éditions du Quercy"]],
    [
      "CONTAINS_TOKEN matches a word",
      filter("name", "CONTAINS_TOKEN", { value: "dubois" }),
      ["Atelier Dubois SARL", "Dubois Frères"],
    ],
    [
      "CONTAINS_TOKEN takes wildcards and ignores accents",
      filter("name", "CONTAINS_TOKEN", { value: "edit*" }),
      ["Éditions du Quercy"],
    ],
  ])("%s", async (_rule, body, expected) => {
    expect(namesOf(await search(body))).toEqual(expected);
  });

  it("filters of a group are ANDed and groups are ORed", async () => {
    const page = await search({
      filterGroups: [
        {
          filters: [
            { propertyName: "city", operator: "EQ", value: "lyon" },
            { propertyName: "numberofemployees", operator: "GT", value: "20" },
          ],
        },
        { filters: [{ propertyName: "city", operator: "EQ", value: "Cahors" }] },
      ],
    });
    expect(namesOf(page)).toEqual(["Cabinet Meyer SAS", "Éditions du Quercy"]);
  });

  it("query matches word prefixes in the searchable properties", async () => {
    expect(namesOf(await search({ query: "dub" }))).toEqual([
      "Atelier Dubois SARL",
      "Dubois Frères",
    ]);
  });

  it.each([
    [
      "ascending by string",
      ["name"],
      [
        "Atelier Dubois SARL",
        "Boulangerie Martin",
        "Cabinet Meyer SAS",
        "Dubois Frères",
        "Éditions du Quercy",
      ],
    ],
    [
      "descending with a leading minus, empty values last",
      ["-numberofemployees"],
      [
        "Cabinet Meyer SAS",
        "Atelier Dubois SARL",
        "Dubois Frères",
        "Boulangerie Martin",
        "Éditions du Quercy",
      ],
    ],
  ])("sorts %s", async (_rule, sorts, expected) => {
    expect(namesOf(await search({ sorts }))).toEqual(expected);
  });

  it("sorts also take HubSpot's object form", async () => {
    const page = await search({
      sorts: [{ propertyName: "numberofemployees", direction: "ASCENDING" }],
    });
    expect(namesOf(page).slice(0, 2)).toEqual(["Boulangerie Martin", "Atelier Dubois SARL"]);
  });

  it("filters on associated records with associations.<type>", async () => {
    const portal = emulator.portal(PORTAL);
    const [company] = portal.objects.all("companies");
    const deal = portal.objects.create("deals", { dealname: "Refonte" });
    portal.objects.create("deals", { dealname: "Autre" });
    if (company === undefined) throw new Error("seed missing");
    portal.associate({ type: "deals", id: deal.id }, { type: "companies", id: company.id }, 341);
    const reply = await hubspot.post<PageBody>("/crm/v3/objects/deals/search", {
      filterGroups: [
        { filters: [{ propertyName: "associations.company", operator: "EQ", value: company.id }] },
      ],
      properties: ["dealname"],
    });
    expect(reply.body.results.map((record) => record.properties.dealname)).toEqual(["Refonte"]);
  });

  it.each([
    ["an unknown property", filter("not_a_property", "EQ", { value: "x" })],
    ["a missing value", filter("city", "EQ")],
    [
      "six filter groups",
      {
        filterGroups: Array.from({ length: 6 }, () => ({
          filters: [{ propertyName: "city", operator: "HAS_PROPERTY" }],
        })),
      },
    ],
    ["two sorts", { sorts: ["name", "city"] }],
    ["an unknown operator", filter("city", "STARTS_WITH", { value: "x" })],
  ])("a search with %s is a 400", async (_case, body) => {
    const reply = await hubspot.post<ErrorBody>("/crm/v3/objects/companies/search", body);
    expect(reply.status).toBe(400);
    expect(reply.body.category).toBe("VALIDATION_ERROR");
  });

  it("archived records are not found", async () => {
    const portal = emulator.portal(PORTAL);
    const [first] = portal.objects.all("companies");
    if (first !== undefined) portal.archive(first);
    expect((await search({})).total).toBe(4);
  });
});

describe("search paging", () => {
  it("pages hold at most 200 results; a limit of 201 is a 400", async () => {
    emulator.portal(PORTAL).objects.createMany(
      "companies",
      Array.from({ length: 450 }, (_, index) => ({ name: `Société ${index}` })),
    );
    const first = await search({ limit: 200 });
    expect(first.results).toHaveLength(200);
    expect(first.total).toBe(450);
    expect(first.paging?.next?.after).toBe("200");
    const last = await search({ limit: 200, after: "400" });
    expect(last.results).toHaveLength(50);
    expect(last.paging).toBeUndefined();
    expect((await hubspot.post("/crm/v3/objects/companies/search", { limit: 201 })).status).toBe(
      400,
    );
  });

  it("results stop at 10,000: the last page points past them and asking for it is a 400", async () => {
    const total = SEARCH_MAX_RESULTS + 50;
    emulator.portal(PORTAL).objects.createMany(
      "companies",
      Array.from({ length: total }, (_, index) => ({ name: `S${index}` })),
    );
    const lastPage = await search({ limit: 200, after: String(SEARCH_MAX_RESULTS - 100) });
    expect(lastPage.total).toBe(total);
    expect(lastPage.results).toHaveLength(100);
    expect(lastPage.paging?.next?.after).toBe(String(SEARCH_MAX_RESULTS));
    const beyond = await hubspot.post<ErrorBody>("/crm/v3/objects/companies/search", {
      limit: 200,
      after: String(SEARCH_MAX_RESULTS),
    });
    expect(beyond.status).toBe(400);
    expect(beyond.body.message).toContain("10000");
  });
});

describe("search rate limit", () => {
  it("allows 5 searches per second per portal, answering the 6th with HubSpot's secondly 429", async () => {
    for (let index = 0; index < 5; index += 1) {
      expect((await hubspot.post("/crm/v3/objects/companies/search", {})).status).toBe(200);
    }
    const refused = await hubspot.post<ErrorBody>("/crm/v3/objects/companies/search", {});
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({
      errorType: "RATE_LIMIT",
      policyName: "SECONDLY",
      message: "You have reached your secondly limit.",
    });
    clock.advance(1_000);
    expect((await hubspot.post("/crm/v3/objects/companies/search", {})).status).toBe(200);
  });

  it("searches do not use the ten-secondly budget of the other calls", async () => {
    await hubspot.post("/crm/v3/objects/companies/search", {});
    const reply = await hubspot.get("/crm/v3/objects/companies");
    expect(reply.headers.get("X-HubSpot-RateLimit-Remaining")).toBe("109");
    expect(emulator.stats.searchRequests).toBe(1);
  });
});
