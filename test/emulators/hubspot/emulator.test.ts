import { beforeEach, describe, expect, it } from "vitest";
import { BATCH_LIMIT, HubSpotEmulator } from "./index";
import {
  type BatchBody,
  type ErrorBody,
  HubSpotTestClient,
  type PageBody,
  type RecordBody,
} from "./test-client";

const PORTAL = 501;
const OTHER_PORTAL = 502;

let emulator: HubSpotEmulator;
let hubspot: HubSpotTestClient;

beforeEach(() => {
  emulator = new HubSpotEmulator();
  hubspot = new HubSpotTestClient(emulator, emulator.installApp(PORTAL).accessToken);
});

const createCompany = async (properties: Record<string, string>) => {
  const reply = await hubspot.post<RecordBody>("/crm/v3/objects/companies", { properties });
  expect(reply.status).toBe(201);
  return reply.body;
};

describe("CRM records", () => {
  it("a created company comes back with string properties, its id as hs_object_id and its dates", async () => {
    const company = await createCompany({ name: "Atelier Dubois", numberofemployees: "12" });
    expect(company.id).toMatch(/^\d+$/);
    expect(company.properties).toMatchObject({
      name: "Atelier Dubois",
      numberofemployees: "12",
      hs_object_id: company.id,
    });
    expect(company.properties.createdate).toBe(company.createdAt);
    expect(company.properties.hs_lastmodifieddate).toBe(company.updatedAt);
    expect(company.archived).toBe(false);
  });

  it("a read returns the asked properties, null for the empty ones, and ignores unknown names", async () => {
    const company = await createCompany({ name: "Atelier Dubois" });
    const reply = await hubspot.get<RecordBody>(
      `/crm/v3/objects/companies/${company.id}?properties=name&properties=city,not_a_property`,
    );
    expect(reply.status).toBe(200);
    expect(reply.body.properties).toEqual({
      name: "Atelier Dubois",
      city: null,
      createdate: company.createdAt,
      hs_lastmodifieddate: expect.any(String),
      hs_object_id: company.id,
    });
  });

  it("contacts keep HubSpot's older lastmodifieddate property", async () => {
    const reply = await hubspot.post<RecordBody>("/crm/v3/objects/contacts", {
      properties: { email: "a@b.fr" },
    });
    expect(reply.body.properties.lastmodifieddate).toBe(reply.body.updatedAt);
    expect(reply.body.properties).not.toHaveProperty("hs_lastmodifieddate");
  });

  it("deals are reachable by their object type id 0-3 as well as by name", async () => {
    const created = await hubspot.post<RecordBody>("/crm/v3/objects/0-3", {
      properties: { dealname: "Refonte", dealstage: "qualifiedtobuy" },
    });
    expect(created.status).toBe(201);
    const read = await hubspot.get<RecordBody>(`/crm/v3/objects/deals/${created.body.id}`);
    expect(read.body.properties).toMatchObject({
      dealname: "Refonte",
      dealstage: "qualifiedtobuy",
      pipeline: "default",
    });
  });

  it("an unknown object type is refused as HubSpot does", async () => {
    const reply = await hubspot.get<ErrorBody>("/crm/v3/objects/widgets");
    expect(reply.status).toBe(400);
    expect(reply.body.message).toBe("Unable to infer object type from: widgets");
  });

  it("a missing record is a 404 OBJECT_NOT_FOUND", async () => {
    const reply = await hubspot.get<ErrorBody>("/crm/v3/objects/companies/123");
    expect(reply.status).toBe(404);
    expect(reply.body).toMatchObject({ status: "error", category: "OBJECT_NOT_FOUND" });
  });

  it("writing an unknown property is refused with HubSpot's 400 body and nothing is written", async () => {
    const reply = await hubspot.post<ErrorBody>("/crm/v3/objects/companies", {
      properties: { name: "Atelier Dubois", encaisse_outstanding: "120.00" },
    });
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({ status: "error", category: "VALIDATION_ERROR" });
    expect(reply.body.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(reply.body.message).toContain('"error":"PROPERTY_DOESNT_EXIST"');
    expect(reply.body.errors?.[0]).toMatchObject({
      code: "PROPERTY_DOESNT_EXIST",
      context: { propertyName: ["encaisse_outstanding"] },
    });
    const list = await hubspot.get<PageBody>("/crm/v3/objects/companies");
    expect(list.body.results).toHaveLength(0);
  });

  it.each([
    ["companies", { numberofemployees: "douze" }, "INVALID_FLOAT"],
    ["deals", { dealstage: "gagne" }, "INVALID_OPTION"],
    ["deals", { closedate: "demain" }, "INVALID_DATETIME"],
    ["companies", { hubspot_owner_id: "999" }, "INVALID_OWNER_ID"],
    ["companies", { hs_object_id: "1" }, "READ_ONLY_VALUE"],
    ["companies", { notes_last_updated: "2026-01-01" }, "READ_ONLY_VALUE"],
    ["contacts", { email: "pas-un-email" }, "INVALID_EMAIL"],
  ])("a bad value on %s (%j) is refused with %s", async (type, properties, code) => {
    const reply = await hubspot.post<ErrorBody>(`/crm/v3/objects/${type}`, { properties });
    expect(reply.status).toBe(400);
    expect(reply.body.errors?.map((error) => error.code)).toEqual([code]);
  });

  it("datetime values given as epoch milliseconds are stored as ISO 8601", async () => {
    const reply = await hubspot.post<RecordBody>("/crm/v3/objects/deals", {
      properties: { dealname: "Salon", closedate: String(Date.UTC(2026, 10, 30)) },
    });
    expect(reply.body.properties.closedate).toBe("2026-11-30T00:00:00.000Z");
  });

  it("an update changes the values and the last-modified date, and an empty string clears", async () => {
    const company = await createCompany({ name: "Atelier Dubois", city: "Lyon" });
    const reply = await hubspot.patch<RecordBody>(`/crm/v3/objects/companies/${company.id}`, {
      properties: { city: "", phone: "04 72 00 00 00" },
    });
    expect(reply.status).toBe(200);
    expect(reply.body.properties).toMatchObject({ phone: "04 72 00 00 00" });
    const read = await hubspot.get<RecordBody>(
      `/crm/v3/objects/companies/${company.id}?properties=city,phone`,
    );
    expect(read.body.properties.city).toBeNull();
  });

  it("a contact's email is unique: a second contact with it is a 409", async () => {
    await hubspot.post("/crm/v3/objects/contacts", { properties: { email: "claire@dubois.fr" } });
    const reply = await hubspot.post<ErrorBody>("/crm/v3/objects/contacts", {
      properties: { email: "CLAIRE@dubois.fr" },
    });
    expect(reply.status).toBe(409);
    expect(reply.body.message).toMatch(/^Contact already exists\. Existing ID: \d+$/);
  });

  it("a contact can be read by email with idProperty", async () => {
    const created = await hubspot.post<RecordBody>("/crm/v3/objects/contacts", {
      properties: { email: "claire@dubois.fr" },
    });
    const reply = await hubspot.get<RecordBody>(
      "/crm/v3/objects/contacts/claire@dubois.fr?idProperty=email",
    );
    expect(reply.body.id).toBe(created.body.id);
  });

  it("a task needs hs_timestamp, as HubSpot requires", async () => {
    const reply = await hubspot.post<ErrorBody>("/crm/v3/objects/tasks", {
      properties: { hs_task_subject: "Relancer" },
    });
    expect(reply.status).toBe(400);
    expect(reply.body.context).toEqual({ properties: ["hs_timestamp"] });
  });

  it("a line item made from a product takes its name and price, and its net amount is exact", async () => {
    // Encaisse only reads products, so the catalogue is seeded as the customer made it.
    const product = emulator
      .portal(PORTAL)
      .objects.create("products", { name: "Impression brochures A4", price: "1.235" });
    const lineItem = await hubspot.post<RecordBody>("/crm/v3/objects/line_items", {
      properties: { hs_product_id: product.id, quantity: "3", hs_discount_percentage: "10" },
    });
    expect(lineItem.status).toBe(201);
    // 3 x 1.235 less 10 % = 3.3345, kept exact.
    expect(lineItem.body.properties).toMatchObject({
      name: "Impression brochures A4",
      price: "1.235",
      amount: "3.3345",
    });
  });

  it("a line item for a product that does not exist is refused", async () => {
    const reply = await hubspot.post<ErrorBody>("/crm/v3/objects/line_items", {
      properties: { hs_product_id: "42", quantity: "1" },
    });
    expect(reply.status).toBe(400);
  });

  it("an archived record leaves the list and is read back only with archived=true", async () => {
    const company = await createCompany({ name: "Atelier Dubois" });
    expect((await hubspot.delete(`/crm/v3/objects/companies/${company.id}`)).status).toBe(204);
    expect((await hubspot.get(`/crm/v3/objects/companies/${company.id}`)).status).toBe(404);
    const archived = await hubspot.get<RecordBody>(
      `/crm/v3/objects/companies/${company.id}?archived=true`,
    );
    expect(archived.body).toMatchObject({ archived: true, archivedAt: expect.any(String) });
    expect((await hubspot.delete(`/crm/v3/objects/companies/${company.id}`)).status).toBe(204);
  });

  it("lists page by id with paging.next.after, 100 per page at most", async () => {
    await hubspot.post("/crm/v3/objects/companies/batch/create", {
      inputs: Array.from({ length: 5 }, (_, index) => ({
        properties: { name: `Société ${index}` },
      })),
    });
    const first = await hubspot.get<PageBody>("/crm/v3/objects/companies?limit=3&properties=name");
    expect(first.body.results.map((record) => record.properties.name)).toEqual([
      "Société 0",
      "Société 1",
      "Société 2",
    ]);
    const second = await hubspot.get<PageBody>(
      `/crm/v3/objects/companies?limit=3&properties=name&after=${first.body.paging?.next?.after ?? ""}`,
    );
    expect(second.body.results.map((record) => record.properties.name)).toEqual([
      "Société 3",
      "Société 4",
    ]);
    expect(second.body.paging).toBeUndefined();
    expect((await hubspot.get("/crm/v3/objects/companies?limit=101")).status).toBe(400);
  });
});

describe("batch endpoints", () => {
  const inputsFor: Record<string, (count: number) => unknown> = {
    create: (count) => ({
      inputs: Array.from({ length: count }, (_, index) => ({ properties: { name: `S${index}` } })),
    }),
    read: (count) => ({
      inputs: Array.from({ length: count }, (_, index) => ({ id: String(index + 1) })),
      properties: ["name"],
    }),
    update: (count) => ({
      inputs: Array.from({ length: count }, (_, index) => ({
        id: String(index + 1),
        properties: { name: "x" },
      })),
    }),
    upsert: (count) => ({
      inputs: Array.from({ length: count }, (_, index) => ({
        id: String(index + 1),
        properties: { name: "x" },
      })),
    }),
    archive: (count) => ({
      inputs: Array.from({ length: count }, (_, index) => ({ id: String(index + 1) })),
    }),
  };

  it.each(Object.keys(inputsFor))(
    "batch/%s takes at most 100 inputs: 101 is a 400",
    async (action) => {
      const body = inputsFor[action]?.(BATCH_LIMIT + 1);
      const reply = await hubspot.post<ErrorBody>(
        `/crm/v3/objects/companies/batch/${action}`,
        body,
      );
      expect(reply.status).toBe(400);
      expect(reply.body.category).toBe("VALIDATION_ERROR");
      expect(reply.body.message).toContain("100");
    },
  );

  it("a batch of exactly 100 creates is accepted and counted as one batch call writing 100 records", async () => {
    emulator.resetStats();
    const reply = await hubspot.post<BatchBody>(
      "/crm/v3/objects/companies/batch/create",
      inputsFor.create?.(BATCH_LIMIT),
    );
    expect(reply.status).toBe(201);
    expect(reply.body.status).toBe("COMPLETE");
    expect(reply.body.results).toHaveLength(100);
    expect(emulator.stats).toMatchObject({
      batchCalls: 1,
      recordsWritten: 100,
      recordsWrittenInBatches: 100,
    });
  });

  it("a batch create with one bad record writes none of them", async () => {
    const reply = await hubspot.post("/crm/v3/objects/companies/batch/create", {
      inputs: [
        { properties: { name: "Bonne" } },
        { properties: { name: "Mauvaise", numberofemployees: "beaucoup" } },
      ],
    });
    expect(reply.status).toBe(400);
    expect((await hubspot.get<PageBody>("/crm/v3/objects/companies")).body.results).toHaveLength(0);
  });

  it("a batch read of unknown ids answers 207 with the found records and an OBJECT_NOT_FOUND error", async () => {
    const company = await createCompany({ name: "Atelier Dubois" });
    const reply = await hubspot.post<BatchBody>("/crm/v3/objects/companies/batch/read", {
      inputs: [{ id: company.id }, { id: "404404" }],
      properties: ["name"],
    });
    expect(reply.status).toBe(207);
    expect(reply.body.results.map((record) => record.id)).toEqual([company.id]);
    expect(reply.body.errors?.[0]).toMatchObject({
      category: "OBJECT_NOT_FOUND",
      context: { ids: ["404404"] },
    });
  });

  it("a batch update refuses duplicate ids", async () => {
    const company = await createCompany({ name: "Atelier Dubois" });
    const reply = await hubspot.post<ErrorBody>("/crm/v3/objects/companies/batch/update", {
      inputs: [
        { id: company.id, properties: { city: "Lyon" } },
        { id: company.id, properties: { city: "Paris" } },
      ],
    });
    expect(reply.status).toBe(400);
    expect(reply.body.message).toContain("Duplicate IDs");
  });

  it("a batch upsert by a unique property creates what is missing and updates what exists", async () => {
    await hubspot.post("/crm/v3/objects/contacts", {
      properties: { email: "claire@dubois.fr", firstname: "Claire" },
    });
    const reply = await hubspot.post<BatchBody<RecordBody & { new: boolean }>>(
      "/crm/v3/objects/contacts/batch/upsert",
      {
        inputs: [
          { id: "claire@dubois.fr", idProperty: "email", properties: { lastname: "Dubois" } },
          { id: "marc@dubois.fr", idProperty: "email", properties: { firstname: "Marc" } },
        ],
      },
    );
    expect(reply.status).toBe(200);
    expect(reply.body.results.map((record) => [record.properties.email, record.new])).toEqual([
      ["claire@dubois.fr", false],
      ["marc@dubois.fr", true],
    ]);
  });
});

describe("properties API", () => {
  it("an app creates its group and a property once; the second create is a 409", async () => {
    const group = await hubspot.post("/crm/v3/properties/companies/groups", {
      name: "encaisse",
      label: "Encaisse",
    });
    expect(group.status).toBe(201);
    const property = {
      name: "encaisse_outstanding",
      label: "Encours",
      type: "number",
      fieldType: "number",
      groupName: "encaisse",
    };
    expect((await hubspot.post("/crm/v3/properties/companies", property)).status).toBe(201);
    const again = await hubspot.post<ErrorBody>("/crm/v3/properties/companies", property);
    expect(again.status).toBe(409);
    expect(again.body.category).toBe("OBJECT_ALREADY_EXISTS");
    expect(
      (
        await hubspot.post("/crm/v3/properties/companies/groups", {
          name: "encaisse",
          label: "Encaisse",
        })
      ).status,
    ).toBe(409);
  });

  it("a created property can then be written on records and listed", async () => {
    await hubspot.post("/crm/v3/properties/companies/groups", {
      name: "encaisse",
      label: "Encaisse",
    });
    await hubspot.post("/crm/v3/properties/companies", {
      name: "encaisse_outstanding",
      label: "Encours",
      type: "number",
      fieldType: "number",
      groupName: "encaisse",
    });
    const company = await createCompany({
      name: "Atelier Dubois",
      encaisse_outstanding: "1250.40",
    });
    expect(company.properties.encaisse_outstanding).toBe("1250.40");
    const listed = await hubspot.get<{ results: { name: string; groupName: string }[] }>(
      "/crm/v3/properties/companies",
    );
    expect(listed.body.results).toContainEqual(
      expect.objectContaining({ name: "encaisse_outstanding", groupName: "encaisse" }),
    );
  });

  it.each([
    [
      {
        name: "encaisse_x",
        label: "X",
        type: "number",
        fieldType: "text",
        groupName: "companyinformation",
      },
      "fieldType",
    ],
    [
      { name: "encaisse_x", label: "X", type: "string", fieldType: "text", groupName: "nope" },
      "group",
    ],
    [
      {
        name: "Encaisse X",
        label: "X",
        type: "string",
        fieldType: "text",
        groupName: "companyinformation",
      },
      "name",
    ],
    [
      {
        name: "encaisse_x",
        label: "X",
        type: "enumeration",
        fieldType: "select",
        groupName: "companyinformation",
      },
      "option",
    ],
  ])("an invalid definition (%j) is refused with a 400 about its %s", async (definition, topic) => {
    const reply = await hubspot.post<ErrorBody>("/crm/v3/properties/companies", definition);
    expect(reply.status).toBe(400);
    expect(reply.body.message.toLowerCase()).toContain(topic.toLowerCase());
  });

  it("a missing property is a 404", async () => {
    expect((await hubspot.get("/crm/v3/properties/companies/encaisse_nope")).status).toBe(404);
  });
});

describe("owners", () => {
  it("the installing user is an owner, readable by id and by user id", async () => {
    const installed = emulator.installApp(PORTAL, undefined, {
      userId: 123_456,
      userEmail: "claire@agence.fr",
    });
    const list = await hubspot.get<{
      results: { id: string; email: string; userId: number; teams: unknown[] }[];
    }>("/crm/v3/owners/");
    const owner = list.body.results.find((candidate) => candidate.email === installed.userEmail);
    expect(owner).toMatchObject({ userId: 123_456, teams: [] });
    const byUser = await hubspot.get<{ id: string }>("/crm/v3/owners/123456?idProperty=userId");
    expect(byUser.body.id).toBe(owner?.id);
  });

  it("owners are filtered by email", async () => {
    emulator
      .portal(PORTAL)
      .owners.add({ email: "marc@agence.fr", firstName: "Marc", lastName: "Petit" });
    const reply = await hubspot.get<{ results: { firstName: string }[] }>(
      "/crm/v3/owners?email=MARC@agence.fr",
    );
    expect(reply.body.results.map((owner) => owner.firstName)).toEqual(["Marc"]);
  });
});

describe("portal isolation", () => {
  it("a record of one portal is invisible to another portal's token", async () => {
    const company = await createCompany({ name: "Atelier Dubois" });
    const other = new HubSpotTestClient(emulator, emulator.installApp(OTHER_PORTAL).accessToken);
    expect((await other.get(`/crm/v3/objects/companies/${company.id}`)).status).toBe(404);
    const search = await other.post<PageBody>("/crm/v3/objects/companies/search", {
      filterGroups: [],
    });
    expect(search.body.total).toBe(0);
    expect(
      (
        await other.patch(`/crm/v3/objects/companies/${company.id}`, {
          properties: { name: "Volé" },
        })
      ).status,
    ).toBe(404);
    expect(
      (await hubspot.get<RecordBody>(`/crm/v3/objects/companies/${company.id}`)).body.properties
        .name,
    ).toBe("Atelier Dubois");
  });

  it("a property created in one portal does not exist in another", async () => {
    await hubspot.post("/crm/v3/properties/companies", {
      name: "encaisse_x",
      label: "X",
      type: "string",
      fieldType: "text",
      groupName: "companyinformation",
    });
    const other = new HubSpotTestClient(emulator, emulator.installApp(OTHER_PORTAL).accessToken);
    const reply = await other.post("/crm/v3/objects/companies", {
      properties: { encaisse_x: "1" },
    });
    expect(reply.status).toBe(400);
  });
});
