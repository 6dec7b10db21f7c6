import { beforeEach, describe, expect, it } from "vitest";
import { ManualClock } from "../common/clock";
import { ASSOCIATION_TYPE_IDS, ASSOCIATION_TYPES, HubSpotEmulator } from "./index";
import { type BatchBody, type ErrorBody, HubSpotTestClient, type RecordBody } from "./test-client";

const PORTAL = 801;

interface AssociationsPage {
  results: {
    toObjectId: string;
    associationTypes: { category: string; typeId: number; label?: string }[];
  }[];
  paging?: { next?: { after: string } };
}

let clock: ManualClock;
let emulator: HubSpotEmulator;
let hubspot: HubSpotTestClient;
let companyId: string;
let dealId: string;
let contactId: string;

beforeEach(() => {
  clock = new ManualClock("2026-11-23T09:00:00Z");
  emulator = new HubSpotEmulator({ now: clock.now });
  hubspot = new HubSpotTestClient(emulator, emulator.installApp(PORTAL).accessToken);
  const portal = emulator.portal(PORTAL);
  companyId = portal.objects.create("companies", { name: "Atelier Dubois" }).id;
  dealId = portal.objects.create("deals", { dealname: "Refonte", dealstage: "closedwon" }).id;
  contactId = portal.objects.create("contacts", { email: "claire@dubois.fr" }).id;
});

const typeIdsFrom = (page: AssociationsPage, toId: string) =>
  page.results
    .find((result) => result.toObjectId === toId)
    ?.associationTypes.map((type) => type.typeId) ?? [];

describe("the association type table", () => {
  it.each([
    ["deal -> company", ASSOCIATION_TYPE_IDS.dealToCompany, 341],
    ["task -> company", ASSOCIATION_TYPE_IDS.taskToCompany, 192],
    ["task -> deal", ASSOCIATION_TYPE_IDS.taskToDeal, 216],
    ["task -> contact", ASSOCIATION_TYPE_IDS.taskToContact, 204],
    ["note -> company", ASSOCIATION_TYPE_IDS.noteToCompany, 190],
    ["line item -> deal", ASSOCIATION_TYPE_IDS.lineItemToDeal, 20],
  ])("%s is type %s", (_pair, typeId, expected) => {
    expect(typeId).toBe(expected);
  });

  it("every type has an inverse that points back to it", () => {
    for (const definition of ASSOCIATION_TYPES) {
      const inverse = ASSOCIATION_TYPES.find(
        (candidate) => candidate.typeId === definition.inverseTypeId,
      );
      expect(inverse).toMatchObject({
        from: definition.to,
        to: definition.from,
        inverseTypeId: definition.typeId,
      });
    }
  });
});

describe("associations v4", () => {
  it("a default association deal -> company is type 341, with 342 the other way", async () => {
    const reply = await hubspot.put<BatchBody<{ associationSpec: { associationTypeId: number } }>>(
      `/crm/v4/objects/deals/${dealId}/associations/default/companies/${companyId}`,
    );
    expect(reply.status).toBe(200);
    expect(reply.body.results.map((result) => result.associationSpec.associationTypeId)).toEqual([
      341, 342,
    ]);
    const fromCompany = await hubspot.get<AssociationsPage>(
      `/crm/v4/objects/companies/${companyId}/associations/deals`,
    );
    expect(typeIdsFrom(fromCompany.body, dealId)).toEqual([342]);
  });

  it("a labelled Primary association also creates the unlabeled one, and a deal keeps one primary company", async () => {
    const other = emulator.portal(PORTAL).objects.create("companies", { name: "Autre" }).id;
    const first = await hubspot.put<{ labels: string[]; fromObjectTypeId: string }>(
      `/crm/v4/objects/deals/${dealId}/associations/companies/${companyId}`,
      [
        {
          associationCategory: "HUBSPOT_DEFINED",
          associationTypeId: ASSOCIATION_TYPE_IDS.dealToCompanyPrimary,
        },
      ],
    );
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ labels: ["Primary"], fromObjectTypeId: "0-3" });
    await hubspot.put(`/crm/v4/objects/deals/${dealId}/associations/companies/${other}`, [
      { associationCategory: "HUBSPOT_DEFINED", associationTypeId: 5 },
    ]);
    const page = (
      await hubspot.get<AssociationsPage>(`/crm/v4/objects/deals/${dealId}/associations/companies`)
    ).body;
    expect(typeIdsFrom(page, companyId)).toEqual([341]);
    expect(typeIdsFrom(page, other)).toEqual([5, 341]);
  });

  it("a type id that does not fit the objects is a 400", async () => {
    const reply = await hubspot.put<ErrorBody>(
      `/crm/v4/objects/deals/${dealId}/associations/companies/${companyId}`,
      [
        {
          associationCategory: "HUBSPOT_DEFINED",
          associationTypeId: ASSOCIATION_TYPE_IDS.taskToCompany,
        },
      ],
    );
    expect(reply.status).toBe(400);
  });

  it("associating with a record that does not exist is a 404", async () => {
    const reply = await hubspot.put(
      `/crm/v4/objects/deals/${dealId}/associations/default/companies/999`,
    );
    expect(reply.status).toBe(404);
  });

  it("removing an association removes both directions", async () => {
    await hubspot.put(
      `/crm/v4/objects/deals/${dealId}/associations/default/companies/${companyId}`,
    );
    expect(
      (await hubspot.delete(`/crm/v4/objects/deals/${dealId}/associations/companies/${companyId}`))
        .status,
    ).toBe(204);
    const fromCompany = await hubspot.get<AssociationsPage>(
      `/crm/v4/objects/companies/${companyId}/associations/deals`,
    );
    expect(fromCompany.body.results).toEqual([]);
  });

  it("lists page with after and limit", async () => {
    const portal = emulator.portal(PORTAL);
    const items = portal.objects.createMany("line_items", [
      { name: "a" },
      { name: "b" },
      { name: "c" },
    ]);
    for (const item of items)
      portal.associate({ type: "line_items", id: item.id }, { type: "deals", id: dealId }, 20);
    const first = await hubspot.get<AssociationsPage>(
      `/crm/v4/objects/deals/${dealId}/associations/line_items?limit=2`,
    );
    expect(first.body.results.map((result) => result.toObjectId)).toEqual(
      items.slice(0, 2).map((item) => item.id),
    );
    const next = first.body.paging?.next?.after ?? "";
    const second = await hubspot.get<AssociationsPage>(
      `/crm/v4/objects/deals/${dealId}/associations/line_items?limit=2&after=${next}`,
    );
    expect(second.body.results.map((result) => result.toObjectId)).toEqual([items[2]?.id]);
    expect(second.body.paging).toBeUndefined();
    expect(
      (await hubspot.get(`/crm/v4/objects/deals/${dealId}/associations/line_items?limit=501`))
        .status,
    ).toBe(400);
  });

  it("batch read answers per record, with a 207 error for records without associations", async () => {
    await hubspot.put(
      `/crm/v4/objects/deals/${dealId}/associations/default/companies/${companyId}`,
    );
    const reply = await hubspot.post<
      BatchBody<{ from: { id: string }; to: { toObjectId: string }[] }>
    >("/crm/v4/associations/deals/companies/batch/read", {
      inputs: [{ id: dealId }, { id: "123" }],
    });
    expect(reply.status).toBe(207);
    expect(reply.body.results).toEqual([
      {
        from: { id: dealId },
        to: [
          {
            toObjectId: companyId,
            associationTypes: [{ category: "HUBSPOT_DEFINED", typeId: 341 }],
          },
        ],
      },
    ]);
    expect(reply.body.errors?.[0]?.context).toEqual({ fromObjectId: ["123"] });
  });

  it("batch create associates several pairs at once", async () => {
    const portal = emulator.portal(PORTAL);
    const items = portal.objects.createMany("line_items", [{ name: "a" }, { name: "b" }]);
    const reply = await hubspot.post<BatchBody>(
      "/crm/v4/associations/line_items/deals/batch/create",
      {
        inputs: items.map((item) => ({
          from: { id: item.id },
          to: { id: dealId },
          types: [{ associationCategory: "HUBSPOT_DEFINED", associationTypeId: 20 }],
        })),
      },
    );
    expect(reply.status).toBe(201);
    expect(
      portal.associations.list("deals", dealId, "line_items").map((entry) => entry.toId),
    ).toEqual(items.map((item) => item.id));
  });
});

describe("associations given at creation", () => {
  it("a dunning task created with associations is attached to the company, deal and contact, both ways", async () => {
    const reply = await hubspot.post<RecordBody>("/crm/v3/objects/tasks", {
      properties: {
        hs_task_subject: "Relance facture F-2026-00042",
        hs_timestamp: "2026-11-30T09:00:00Z",
        hs_task_type: "CALL",
      },
      associations: [
        {
          to: { id: companyId },
          types: [{ associationCategory: "HUBSPOT_DEFINED", associationTypeId: 192 }],
        },
        {
          to: { id: dealId },
          types: [{ associationCategory: "HUBSPOT_DEFINED", associationTypeId: 216 }],
        },
        {
          to: { id: contactId },
          types: [{ associationCategory: "HUBSPOT_DEFINED", associationTypeId: 204 }],
        },
      ],
    });
    expect(reply.status).toBe(201);
    const task = await hubspot.get<RecordBody>(
      `/crm/v3/objects/tasks/${reply.body.id}?associations=companies,deals,contacts`,
    );
    expect(task.body.associations).toEqual({
      companies: { results: [{ id: companyId, type: "task_to_company" }] },
      deals: { results: [{ id: dealId, type: "task_to_deal" }] },
      contacts: { results: [{ id: contactId, type: "task_to_contact" }] },
    });
    const fromCompany = await hubspot.get<AssociationsPage>(
      `/crm/v4/objects/companies/${companyId}/associations/tasks`,
    );
    expect(typeIdsFrom(fromCompany.body, reply.body.id)).toEqual([191]);
    const company = await hubspot.get<RecordBody>(
      `/crm/v3/objects/companies/${companyId}?properties=notes_next_activity_date`,
    );
    expect(company.body.properties.notes_next_activity_date).toBe("2026-11-30T09:00:00.000Z");
  });

  it("a note logged on a company moves its last activity date", async () => {
    await hubspot.post("/crm/v3/objects/notes", {
      properties: {
        hs_note_body: "Client relancé par téléphone",
        hs_timestamp: "2026-11-22T15:30:00Z",
      },
      associations: [
        {
          to: { id: companyId },
          types: [{ associationCategory: "HUBSPOT_DEFINED", associationTypeId: 190 }],
        },
      ],
    });
    const company = await hubspot.get<RecordBody>(
      `/crm/v3/objects/companies/${companyId}?properties=notes_last_updated`,
    );
    expect(company.body.properties.notes_last_updated).toBe("2026-11-22T15:30:00.000Z");
  });

  it("a create with an association to a missing record writes nothing", async () => {
    const reply = await hubspot.post<ErrorBody>("/crm/v3/objects/notes", {
      properties: { hs_note_body: "x", hs_timestamp: "2026-11-22T15:30:00Z" },
      associations: [
        {
          to: { id: "404" },
          types: [{ associationCategory: "HUBSPOT_DEFINED", associationTypeId: 190 }],
        },
      ],
    });
    expect(reply.status).toBe(400);
    expect(emulator.portal(PORTAL).objects.count("notes")).toBe(0);
  });

  it("a line item created for a deal shows under the deal's line items", async () => {
    const reply = await hubspot.post<RecordBody>("/crm/v3/objects/line_items", {
      properties: { name: "Conception graphique (jour)", quantity: "2", price: "650.00" },
      associations: [
        {
          to: { id: dealId },
          types: [{ associationCategory: "HUBSPOT_DEFINED", associationTypeId: 20 }],
        },
      ],
    });
    const deal = await hubspot.get<RecordBody>(
      `/crm/v3/objects/deals/${dealId}?associations=line_items`,
    );
    expect(deal.body.associations?.line_items?.results).toEqual([
      { id: reply.body.id, type: "deal_to_line_item" },
    ]);
  });

  it("archiving a record removes its associations", async () => {
    await hubspot.put(
      `/crm/v4/objects/deals/${dealId}/associations/default/companies/${companyId}`,
    );
    await hubspot.delete(`/crm/v3/objects/deals/${dealId}`);
    const fromCompany = await hubspot.get<AssociationsPage>(
      `/crm/v4/objects/companies/${companyId}/associations/deals`,
    );
    expect(fromCompany.body.results).toEqual([]);
  });
});
