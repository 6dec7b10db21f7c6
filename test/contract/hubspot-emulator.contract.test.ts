/**
 * The HubSpot emulator against HubSpot's official OpenAPI specs: a realistic session of what
 * Encaisse does (install its properties, match and update companies, read deals and their line
 * items, associate, log tasks and notes, refresh tokens), where every request and every
 * response, errors included, is validated against the spec of its path. Owners are left out:
 * no provided spec covers them. Then proofs that drift fails loudly.
 */
import { beforeEach, describe, expect, it } from "vitest";
import {
  ASSOCIATION_TYPE_IDS,
  HubSpotEmulator,
  type InstalledApp,
  ManualClock,
} from "../emulators/hubspot";
import {
  type BatchBody,
  HubSpotTestClient,
  type PageBody,
  type RecordBody,
  type Reply,
} from "../emulators/hubspot/test-client";
import { validateHubSpotRequest, validateHubSpotResponse } from "./hubspot-contract";

const PORTAL = 4_401;
const API = "https://api.hubapi.com";

let clock: ManualClock;
let emulator: HubSpotEmulator;
let installed: InstalledApp;
let hubspot: HubSpotTestClient;
const checked = { requests: 0, responses: 0, statuses: new Set<number>() };

beforeEach(() => {
  clock = new ManualClock("2026-11-23T09:00:00Z");
  emulator = new HubSpotEmulator({ now: clock.now });
  installed = emulator.installApp(PORTAL);
  hubspot = new HubSpotTestClient(emulator, installed.accessToken);
});

/** One call through the emulator, with its request and its response checked against the spec. */
async function call<T>(
  method: string,
  path: string,
  body?: unknown,
  client = hubspot,
): Promise<Reply<T>> {
  const request = await validateHubSpotRequest({ method, path, body });
  expect(request.covered, `${method} ${path} has a spec`).toBe(true);
  expect(request.errors, `request ${method} ${path}`).toEqual([]);
  checked.requests += 1;
  const reply = await client.request<T>(method, path, body);
  const response = await validateHubSpotResponse({
    method,
    path,
    status: reply.status,
    body: reply.body,
  });
  expect(response.errors, `response ${reply.status} to ${method} ${path}`).toEqual([]);
  checked.responses += 1;
  checked.statuses.add(reply.status);
  return reply;
}

const spec = (typeId: number) => [
  { associationCategory: "HUBSPOT_DEFINED", associationTypeId: typeId },
];
const create = (properties: Record<string, string>, associations: unknown[] = []) => ({
  properties,
  associations,
});

describe("a realistic Encaisse session matches HubSpot's specs", () => {
  it("installs the Encaisse property group and properties, idempotently", async () => {
    expect((await call("GET", "/crm/v3/properties/companies/groups")).status).toBe(200);
    expect(
      (
        await call("POST", "/crm/v3/properties/companies/groups", {
          name: "encaisse",
          label: "Encaisse",
          displayOrder: -1,
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await call("POST", "/crm/v3/properties/companies/groups", {
          name: "encaisse",
          label: "Encaisse",
        })
      ).status,
    ).toBe(409);
    const outstanding = {
      name: "encaisse_outstanding",
      label: "Encours TTC",
      type: "number",
      fieldType: "number",
      groupName: "encaisse",
    };
    expect((await call("POST", "/crm/v3/properties/companies", outstanding)).status).toBe(201);
    expect((await call("POST", "/crm/v3/properties/companies", outstanding)).status).toBe(409);
    const status = {
      name: "encaisse_payment_status",
      label: "Statut de paiement",
      type: "enumeration",
      fieldType: "select",
      groupName: "encaisse",
      options: [
        { label: "À jour", value: "up_to_date", hidden: false, displayOrder: 0 },
        { label: "En retard", value: "late", hidden: false, displayOrder: 1 },
      ],
    };
    expect((await call("POST", "/crm/v3/properties/companies", status)).status).toBe(201);
    expect(
      (
        await call("POST", "/crm/v3/properties/deals/groups", {
          name: "encaisse",
          label: "Encaisse",
        })
      ).status,
    ).toBe(201);
    const batch = await call<BatchBody>("POST", "/crm/v3/properties/deals/batch/create", {
      inputs: [
        {
          name: "encaisse_invoice_number",
          label: "N° de facture",
          type: "string",
          fieldType: "text",
          groupName: "encaisse",
        },
        {
          name: "encaisse_invoice_url",
          label: "Lien facture",
          type: "string",
          fieldType: "text",
          groupName: "encaisse",
        },
      ],
    });
    expect(batch.status).toBe(201);
    expect((await call("GET", "/crm/v3/properties/companies/encaisse_outstanding")).status).toBe(
      200,
    );
    expect(
      (
        await call("PATCH", "/crm/v3/properties/companies/encaisse_outstanding", {
          label: "Encours (TTC)",
        })
      ).status,
    ).toBe(200);
    expect((await call("GET", "/crm/v3/properties/companies")).status).toBe(200);
    expect(
      (
        await call("POST", "/crm/v3/properties/deals/batch/read", {
          inputs: [{ name: "encaisse_invoice_number" }],
          archived: false,
          dataSensitivity: "non_sensitive",
        })
      ).status,
    ).toBe(200);
    expect((await call("GET", "/crm/v3/properties/companies/encaisse_nope")).status).toBe(404);
  });

  it("creates, finds, reads and updates companies and contacts", async () => {
    emulator.portal(PORTAL).properties.create("companies", {
      name: "siren",
      label: "SIREN",
      type: "string",
      fieldType: "text",
      groupName: "companyinformation",
    });
    const company = await call<RecordBody>(
      "POST",
      "/crm/v3/objects/companies",
      create({ name: "Atelier Dubois SARL", domain: "atelier-dubois.fr", siren: "732829320" }),
    );
    expect(company.status).toBe(201);
    const batch = await call<BatchBody>("POST", "/crm/v3/objects/companies/batch/create", {
      inputs: ["Cabinet Meyer", "Boulangerie Martin", "Traiteur du Quercy"].map((name) =>
        create({ name }),
      ),
    });
    expect(batch.status).toBe(201);
    const found = await call<PageBody>("POST", "/crm/v3/objects/companies/search", {
      filterGroups: [{ filters: [{ propertyName: "siren", operator: "EQ", value: "732829320" }] }],
      sorts: ["-hs_lastmodifieddate"],
      properties: ["name", "siren", "domain"],
      limit: 10,
      after: "0",
    });
    expect(found.body.results.map((record) => record.id)).toEqual([company.body.id]);
    const paged = await call<PageBody>("POST", "/crm/v3/objects/companies/search", {
      filterGroups: [],
      sorts: ["name"],
      properties: ["name"],
      limit: 2,
      after: "0",
    });
    expect(paged.body.paging?.next?.after).toBe("2");
    const ids = [company.body.id, ...batch.body.results.map((record) => record.id)];
    const read = await call<BatchBody>("POST", "/crm/v3/objects/companies/batch/read", {
      inputs: [...ids.map((id) => ({ id })), { id: "999" }],
      properties: ["name", "siren"],
      propertiesWithHistory: [],
    });
    expect(read.status).toBe(207);
    const updated = await call<BatchBody>("POST", "/crm/v3/objects/companies/batch/update", {
      inputs: ids.map((id) => ({ id, properties: { city: "Lyon" } })),
    });
    expect(updated.body.results).toHaveLength(4);
    expect(
      (
        await call("PATCH", `/crm/v3/objects/companies/${company.body.id}`, {
          properties: { phone: "04 72 00 00 00" },
        })
      ).status,
    ).toBe(200);
    expect(
      (await call("GET", `/crm/v3/objects/companies?limit=2&properties=name&properties=city`))
        .status,
    ).toBe(200);

    const contact = await call<RecordBody>(
      "POST",
      "/crm/v3/objects/contacts",
      create({ email: "claire@atelier-dubois.fr", firstname: "Claire" }, [
        { to: { id: company.body.id }, types: spec(ASSOCIATION_TYPE_IDS.contactToCompany) },
      ]),
    );
    expect(contact.status).toBe(201);
    const upsert = await call<BatchBody>("POST", "/crm/v3/objects/contacts/batch/upsert", {
      inputs: [
        { id: "claire@atelier-dubois.fr", idProperty: "email", properties: { lastname: "Dubois" } },
        { id: "marc@atelier-dubois.fr", idProperty: "email", properties: { firstname: "Marc" } },
      ],
    });
    expect(upsert.status).toBe(200);
    const withAssociations = await call<RecordBody>(
      "GET",
      `/crm/v3/objects/companies/${company.body.id}?properties=name,siren,notes_last_updated&associations=contacts`,
    );
    expect(withAssociations.body.properties.notes_last_updated).toBeNull();
    expect(
      (
        await call("POST", "/crm/v3/objects/companies/batch/archive", {
          inputs: [{ id: ids[3] ?? "" }],
        })
      ).status,
    ).toBe(204);
    expect((await call("DELETE", `/crm/v3/objects/companies/${ids[2] ?? ""}`)).status).toBe(204);
    expect(
      (await call("GET", `/crm/v3/objects/companies/${ids[2] ?? ""}?archived=true`)).status,
    ).toBe(200);
  });

  it("reads a won deal, its line items and its company, by the name `deals` the client uses", async () => {
    const company = await call<RecordBody>(
      "POST",
      "/crm/v3/objects/companies",
      create({ name: "Atelier Dubois" }),
    );
    const deal = await call<RecordBody>(
      "POST",
      "/crm/v3/objects/deals",
      create(
        {
          dealname: "Refonte site",
          dealstage: "closedwon",
          amount: "4200.00",
          closedate: "2026-11-20T00:00:00Z",
        },
        [{ to: { id: company.body.id }, types: spec(ASSOCIATION_TYPE_IDS.dealToCompany) }],
      ),
    );
    expect(deal.status).toBe(201);
    const lineItems = await call<BatchBody>("POST", "/crm/v3/objects/line_items/batch/create", {
      inputs: [
        create({ name: "Création de site internet (forfait)", quantity: "1", price: "3500.00" }, [
          { to: { id: deal.body.id }, types: spec(20) },
        ]),
        create(
          {
            name: "Maintenance (mois)",
            quantity: "12",
            price: "58.33",
            hs_discount_percentage: "10",
          },
          [{ to: { id: deal.body.id }, types: spec(20) }],
        ),
      ],
    });
    expect(lineItems.status).toBe(201);
    const dealRead = await call<RecordBody>(
      "GET",
      `/crm/v3/objects/deals/${deal.body.id}?properties=dealname,amount,dealstage&associations=line_items&associations=companies`,
    );
    expect(dealRead.body.associations?.companies?.results[0]?.id).toBe(company.body.id);
    const items = await call<{ results: { toObjectId: string }[] }>(
      "GET",
      `/crm/v4/objects/deals/${deal.body.id}/associations/line_items`,
    );
    const itemRead = await call<BatchBody>("POST", "/crm/v3/objects/line_items/batch/read", {
      inputs: items.body.results.map((item) => ({ id: item.toObjectId })),
      properties: ["name", "quantity", "price", "amount", "hs_discount_percentage"],
      propertiesWithHistory: [],
    });
    expect(itemRead.body.results.map((item) => item.properties.amount)).toEqual([
      "3500",
      "629.964",
    ]);
    expect(
      (
        await call("POST", `/crm/v4/associations/deals/companies/batch/read`, {
          inputs: [{ id: deal.body.id }],
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await call("PATCH", `/crm/v3/objects/0-3/${deal.body.id}`, {
          properties: { description: "Facturé" },
        })
      ).status,
    ).toBe(200);
    const won = await call<PageBody>("POST", "/crm/v3/objects/deals/search", {
      filterGroups: [
        { filters: [{ propertyName: "dealstage", operator: "IN", values: ["closedwon"] }] },
      ],
      sorts: ["-closedate"],
      properties: ["dealname", "amount"],
      limit: 100,
      after: "0",
    });
    expect(won.body.total).toBe(1);
  });

  it("associates records with the v4 API", async () => {
    const portal = emulator.portal(PORTAL);
    const company = portal.objects.create("companies", { name: "Atelier Dubois" });
    const deal = portal.objects.create("deals", { dealname: "Refonte" });
    const contact = portal.objects.create("contacts", { email: "claire@dubois.fr" });
    expect(
      (
        await call(
          "PUT",
          `/crm/v4/objects/deals/${deal.id}/associations/default/companies/${company.id}`,
        )
      ).status,
    ).toBe(200);
    expect(
      (
        await call(
          "PUT",
          `/crm/v4/objects/deals/${deal.id}/associations/contacts/${contact.id}`,
          spec(ASSOCIATION_TYPE_IDS.dealToContact),
        )
      ).status,
    ).toBe(201);
    expect(
      (
        await call(
          "PUT",
          `/crm/v4/objects/contacts/${contact.id}/associations/companies/${company.id}`,
          spec(ASSOCIATION_TYPE_IDS.contactToCompanyPrimary),
        )
      ).status,
    ).toBe(201);
    expect(
      (await call("GET", `/crm/v4/objects/companies/${company.id}/associations/contacts?limit=10`))
        .status,
    ).toBe(200);
    expect(
      (
        await call("POST", `/crm/v4/associations/companies/deals/batch/read`, {
          inputs: [{ id: company.id }, { id: "1" }],
        })
      ).status,
    ).toBe(207);
    const items = portal.objects.createMany("line_items", [{ name: "a" }, { name: "b" }]);
    expect(
      (
        await call("POST", "/crm/v4/associations/line_items/deals/batch/create", {
          inputs: items.map((item) => ({
            from: { id: item.id },
            to: { id: deal.id },
            types: spec(20),
          })),
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await call("POST", "/crm/v4/associations/deals/contacts/batch/associate/default", {
          inputs: [{ from: { id: deal.id }, to: { id: contact.id } }],
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await call("POST", "/crm/v4/associations/line_items/deals/batch/archive", {
          inputs: [{ from: { id: items[0]?.id ?? "" }, to: [{ id: deal.id }] }],
        })
      ).status,
    ).toBe(204);
    expect(
      (await call("DELETE", `/crm/v4/objects/deals/${deal.id}/associations/contacts/${contact.id}`))
        .status,
    ).toBe(204);
  });

  it("logs dunning tasks and notes on the customer", async () => {
    const portal = emulator.portal(PORTAL);
    const company = portal.objects.create("companies", { name: "Atelier Dubois" });
    const deal = portal.objects.create("deals", { dealname: "Refonte" });
    const task = await call<RecordBody>(
      "POST",
      "/crm/v3/objects/tasks",
      create(
        {
          hs_task_subject: "Relance facture F-2026-00042 (J+15)",
          hs_timestamp: "2026-11-30T09:00:00Z",
          hs_task_priority: "HIGH",
          hs_task_type: "CALL",
        },
        [
          { to: { id: company.id }, types: spec(ASSOCIATION_TYPE_IDS.taskToCompany) },
          { to: { id: deal.id }, types: spec(ASSOCIATION_TYPE_IDS.taskToDeal) },
        ],
      ),
    );
    expect(task.status).toBe(201);
    const note = await call<RecordBody>(
      "POST",
      "/crm/v3/objects/notes",
      create(
        { hs_note_body: "Paiement promis pour vendredi.", hs_timestamp: "2026-11-23T08:30:00Z" },
        [{ to: { id: company.id }, types: spec(ASSOCIATION_TYPE_IDS.noteToCompany) }],
      ),
    );
    expect(note.status).toBe(201);
    const open = await call<PageBody>("POST", "/crm/v3/objects/tasks/search", {
      filterGroups: [
        {
          filters: [
            { propertyName: "associations.company", operator: "EQ", value: company.id },
            { propertyName: "hs_task_status", operator: "NEQ", value: "COMPLETED" },
          ],
        },
      ],
      sorts: ["hs_timestamp"],
      properties: ["hs_task_subject", "hs_timestamp"],
      limit: 10,
      after: "0",
    });
    expect(open.body.total).toBe(1);
    expect(
      (
        await call("PATCH", `/crm/v3/objects/tasks/${task.body.id}`, {
          properties: { hs_task_status: "COMPLETED" },
        })
      ).status,
    ).toBe(200);
    expect(
      (await call("GET", `/crm/v3/objects/notes/${note.body.id}?associations=companies`)).status,
    ).toBe(200);
  });

  it("answers errors in HubSpot's error shape", async () => {
    expect(
      (await call("POST", "/crm/v3/objects/companies", create({ encaisse_nope: "1" }))).status,
    ).toBe(400);
    expect(
      (
        await call("POST", "/crm/v3/objects/companies/batch/create", {
          inputs: Array.from({ length: 101 }, () => create({ name: "x" })),
        })
      ).status,
    ).toBe(400);
    expect((await call("GET", "/crm/v3/objects/companies/404404")).status).toBe(404);
    expect(
      (await call("POST", "/crm/v3/objects/contacts", create({ email: "a@b.fr" }))).status,
    ).toBe(201);
    expect(
      (await call("POST", "/crm/v3/objects/contacts", create({ email: "a@b.fr" }))).status,
    ).toBe(409);
    const readOnly = new HubSpotTestClient(
      emulator,
      emulator.installApp(PORTAL, ["crm.objects.companies.read"]).accessToken,
    );
    expect(
      (await call("POST", "/crm/v3/objects/companies", create({ name: "x" }), readOnly)).status,
    ).toBe(403);
    emulator.faults.rateLimitStorm({ requests: 1 });
    expect((await call("GET", "/crm/v3/objects/companies")).status).toBe(429);
    clock.advance(31 * 60_000);
    expect((await call("GET", "/crm/v3/objects/companies")).status).toBe(401);
  });

  it("refreshes tokens and reads token metadata", async () => {
    const refreshed = await emulator.handle(
      new Request(`${API}/oauth/v1/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          grant_type: "refresh_token",
          client_id: emulator.app.clientId,
          client_secret: emulator.app.clientSecret,
          refresh_token: installed.refreshToken,
        }),
      }),
    );
    const tokens = (await refreshed.json()) as { access_token: string };
    const checks = [
      { method: "POST", path: "/oauth/v1/token", status: refreshed.status, body: tokens },
      await responseOf("GET", `/oauth/v1/access-tokens/${tokens.access_token}`),
      await responseOf("GET", `/oauth/v1/refresh-tokens/${installed.refreshToken}`),
      await responseOf("GET", "/oauth/v1/access-tokens/unknown"),
    ];
    expect(checks.map((check) => check.status)).toEqual([200, 200, 200, 404]);
    for (const check of checks) {
      expect(
        (await validateHubSpotResponse(check)).errors,
        `${check.method} ${check.path}`,
      ).toEqual([]);
      checked.responses += 1;
    }
  });
});

describe("the session as a whole", () => {
  // Runs after the session above (tests of a file run in order): it covered the API broadly,
  // successes and errors alike, so "every response matched" means something.
  it("checked many exchanges across success and error statuses", () => {
    expect(checked.responses).toBeGreaterThan(60);
    expect(checked.requests).toBeGreaterThan(55);
    expect([...checked.statuses]).toEqual(
      expect.arrayContaining([200, 201, 204, 207, 400, 401, 403, 404, 409, 429]),
    );
  });
});

async function responseOf(method: string, path: string) {
  const response = await emulator.handle(new Request(`${API}${path}`, { method }));
  return { method, path, status: response.status, body: (await response.json()) as unknown };
}

describe("drift fails loudly", () => {
  const companyReply = async () => {
    const reply = await hubspot.post<RecordBody>(
      "/crm/v3/objects/companies",
      create({ name: "Atelier Dubois" }),
    );
    return reply.body;
  };

  it("a property value that is a number instead of a string is reported", async () => {
    const company = await companyReply();
    const report = await validateHubSpotResponse({
      method: "GET",
      path: `/crm/v3/objects/companies/${company.id}`,
      status: 200,
      body: { ...company, properties: { ...company.properties, numberofemployees: 12 } },
    });
    expect(report.valid).toBe(false);
    expect(report.errors).toEqual([
      expect.stringContaining("/properties/numberofemployees must be string"),
    ]);
  });

  it("a record without its required createdAt is reported", async () => {
    const { createdAt: _dropped, ...company } = await companyReply();
    const report = await validateHubSpotResponse({
      method: "POST",
      path: "/crm/v3/objects/companies",
      status: 201,
      body: company,
    });
    expect(report.errors).toEqual([
      expect.stringContaining("must have required property 'createdAt'"),
    ]);
  });

  it("a date that is not ISO 8601 is reported", async () => {
    const company = await companyReply();
    const report = await validateHubSpotResponse({
      method: "POST",
      path: "/crm/v3/objects/companies",
      status: 201,
      body: { ...company, updatedAt: String(Date.parse(company.updatedAt)) },
    });
    expect(report.errors).toEqual([
      expect.stringContaining('/updatedAt must match format "date-time"'),
    ]);
  });

  it("a batch status outside the spec's enum is reported", async () => {
    const report = await validateHubSpotResponse({
      method: "POST",
      path: "/crm/v3/objects/deals/batch/read",
      status: 200,
      body: {
        status: "DONE",
        results: [],
        startedAt: "2026-11-23T09:00:00.000Z",
        completedAt: "2026-11-23T09:00:00.000Z",
      },
    });
    expect(report.errors).toEqual([
      expect.stringContaining(
        "/status must be equal to one of the allowed values (CANCELED, COMPLETE, PENDING, PROCESSING)",
      ),
    ]);
  });

  it("an error body without a category is reported", async () => {
    const report = await validateHubSpotResponse({
      method: "GET",
      path: "/crm/v3/objects/companies/1",
      status: 404,
      body: {
        status: "error",
        message: "not found",
        correlationId: "aeb5f871-7f07-4993-9211-075dc63e7cbf",
      },
    });
    expect(report.errors).toEqual([
      expect.stringContaining("must have required property 'category'"),
    ]);
  });

  it("an association id sent as a number is reported", async () => {
    const report = await validateHubSpotResponse({
      method: "GET",
      path: "/crm/v4/objects/deals/1/associations/companies",
      status: 200,
      body: {
        results: [
          { toObjectId: 12345, associationTypes: [{ category: "HUBSPOT_DEFINED", typeId: 341 }] },
        ],
      },
    });
    expect(report.errors).toEqual([
      expect.stringContaining("/results/0/toObjectId must be string"),
    ]);
  });

  it("a search request with an operator HubSpot does not have is reported", async () => {
    const report = await validateHubSpotRequest({
      method: "POST",
      path: "/crm/v3/objects/companies/search",
      body: {
        filterGroups: [
          { filters: [{ propertyName: "name", operator: "STARTS_WITH", value: "A" }] },
        ],
        sorts: [],
        properties: [],
        limit: 10,
        after: "0",
      },
    });
    expect(report.valid).toBe(false);
    expect(report.errors.join("\n")).toContain(
      "operator must be equal to one of the allowed values",
    );
  });

  it("deals are checked against the deals spec whether addressed by name or by 0-3", async () => {
    const byName = await validateHubSpotResponse({
      method: "DELETE",
      path: "/crm/v3/objects/deals/1",
      status: 204,
      body: null,
    });
    const byId = await validateHubSpotResponse({
      method: "DELETE",
      path: "/crm/v3/objects/0-3/1",
      status: 204,
      body: null,
    });
    expect([byName.spec, byName.operationId]).toEqual([
      "deals.json",
      "delete-/crm/v3/objects/0-3/{dealId}_archive",
    ]);
    expect(byId).toEqual(byName);
  });

  it("a status the operation does not declare, or a path no spec covers, is not passed off as valid", async () => {
    const owners = await validateHubSpotResponse({
      method: "GET",
      path: "/crm/v3/owners",
      status: 200,
      body: { results: [] },
    });
    expect(owners).toMatchObject({ covered: false, valid: false });
    const unknown = await validateHubSpotResponse({
      method: "GET",
      path: "/crm/v3/objects/companies/merge",
      status: 200,
      body: {},
    });
    expect(unknown.valid).toBe(false);
  });
});
