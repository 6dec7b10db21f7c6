import { describe, expect, it } from "vitest";
import {
  ENCAISSE_COMPANY_PROPERTIES,
  ENCAISSE_DEAL_PROPERTIES,
  ENCAISSE_GROUP,
} from "../../functions/src/hubspot/properties";
import { ASSOCIATION_TYPE_IDS } from "../emulators/hubspot";
import { countCalls, useHubSpot } from "./harness";

const hubspot = useHubSpot();

describe("follow-up tasks and notes", () => {
  it("a dunning task is assigned to the owner, due that morning in Paris, and shows on the company, the deal and the contact", async () => {
    const { crm, portal, portalId } = hubspot.connect();
    const owner = portal.owners.add({
      firstName: "Léa",
      lastName: "Garnier",
      email: "lea@agence.fr",
    });
    const company = portal.objects.create("companies", { name: "Garage Central" });
    const deal = portal.objects.create("deals", { dealname: "Révision flotte" });
    const contact = portal.objects.create("contacts", { email: "compta@garage-central.fr" });

    const task = await crm.createTask({
      companyId: company.id,
      dealId: deal.id,
      contactId: contact.id,
      ownerId: owner.id,
      subject: "Relance facture F-2026-00042",
      body: "Facture échue depuis 15 jours : appeler la comptabilité.",
      dueDate: "2026-12-01",
    });

    const stored = portal.objects.get("tasks", task.id);
    expect(stored?.values.get("hs_task_subject")).toBe("Relance facture F-2026-00042");
    expect(stored?.values.get("hubspot_owner_id")).toBe(owner.id);
    expect(stored?.values.get("hs_timestamp")).toBe("2026-12-01T08:00:00.000Z");
    expect(stored?.values.get("hs_task_status")).toBe("NOT_STARTED");
    const typesTo = (type: "companies" | "deals" | "contacts") =>
      portal.associations
        .list("tasks", task.id, type)
        .flatMap((association) => association.typeIds);
    expect(typesTo("companies")).toEqual([ASSOCIATION_TYPE_IDS.taskToCompany]);
    expect(typesTo("deals")).toEqual([ASSOCIATION_TYPE_IDS.taskToDeal]);
    expect(typesTo("contacts")).toEqual([ASSOCIATION_TYPE_IDS.taskToContact]);
    expect(task.url).toBe(`https://app.hubspot.com/contacts/${portalId}/record/0-2/${company.id}`);
  });

  it("a task with only a company is associated to that company alone", async () => {
    const { crm, portal } = hubspot.connect();
    const company = portal.objects.create("companies", { name: "Imprimerie Leroy" });

    const task = await crm.createTask({
      companyId: company.id,
      ownerId: null,
      subject: "Appeler",
      body: "",
      dueDate: "2026-12-02",
    });

    expect(portal.associations.list("tasks", task.id, "companies").map((a) => a.toId)).toEqual([
      company.id,
    ]);
    expect(portal.associations.list("tasks", task.id, "deals")).toEqual([]);
    expect(portal.objects.get("tasks", task.id)?.values.has("hubspot_owner_id")).toBe(false);
  });

  it("a note logged from the side panel is on the company's timeline and becomes its last activity", async () => {
    const { crm, portal, portalId } = hubspot.connect();
    const company = portal.objects.create("companies", { name: "Pharmacie des Halles" });

    const note = await crm.createNote({
      companyId: company.id,
      body: "Promesse de paiement pour le 15/12.",
    });

    expect(portal.objects.get("notes", note.id)?.values.get("hs_note_body")).toBe(
      "Promesse de paiement pour le 15/12.",
    );
    expect(
      portal.associations.list("notes", note.id, "companies").flatMap((a) => a.typeIds),
    ).toEqual([ASSOCIATION_TYPE_IDS.noteToCompany]);
    expect(note.url).toBe(`https://app.hubspot.com/contacts/${portalId}/record/0-2/${company.id}`);
    const { lastActivityAt } = await crm.getCompany(company.id);
    expect(lastActivityAt).toBe(portal.objects.get("notes", note.id)?.values.get("hs_timestamp"));
  });
});

describe("Encaisse properties", () => {
  it("the first run creates the group and every property; the second creates nothing", async () => {
    const { crm, portal, emulator } = hubspot.connect();
    const creates = countCalls(emulator, "POST /crm/v3/properties/companies");
    const groupCreates = countCalls(emulator, "POST /crm/v3/properties/companies/groups");

    const first = await crm.ensureEncaisseProperties();
    const second = await crm.ensureEncaisseProperties();

    const companyNames = Object.values(ENCAISSE_COMPANY_PROPERTIES).map((p) => p.name);
    const dealNames = Object.values(ENCAISSE_DEAL_PROPERTIES).map((p) => p.name);
    expect(first.createdGroups).toEqual(["companies.encaisse", "deals.encaisse"]);
    expect(first.createdProperties).toEqual([
      ...companyNames.map((name) => `companies.${name}`),
      ...dealNames.map((name) => `deals.${name}`),
    ]);
    expect(second).toEqual({ createdGroups: [], createdProperties: [] });
    expect(creates()).toBe(companyNames.length);
    expect(groupCreates()).toBe(1);
    for (const name of companyNames) {
      expect(portal.properties.get("companies", name)?.groupName).toBe(ENCAISSE_GROUP.name);
    }
    expect(
      portal.properties.get("companies", "encaisse_payment_risk")?.options.map((o) => o.value),
    ).toEqual(["low", "medium", "high"]);
    expect(portal.properties.get("deals", "encaisse_invoice_status")?.label).toBe(
      "Statut de la facture",
    );
  });

  it("a property someone else created meanwhile is not an error", async () => {
    const { crm, portal } = hubspot.connect();
    portal.properties.createGroup("deals", { name: "encaisse", label: "Encaisse" });
    portal.properties.create("deals", {
      name: "encaisse_invoice_number",
      label: "Numéro de facture",
      type: "string",
      fieldType: "text",
      groupName: "encaisse",
    });

    const report = await crm.ensureEncaisseProperties();

    expect(report.createdGroups).toEqual(["companies.encaisse"]);
    expect(report.createdProperties).not.toContain("deals.encaisse_invoice_number");
    expect(report.createdProperties).toContain("deals.encaisse_invoice_status");
  });
});

describe("writing rollups back in batches", () => {
  it("250 companies are updated in 3 calls of at most 100, values as HubSpot stores them", async () => {
    const { crm, portal, emulator } = hubspot.connect();
    await crm.ensureEncaisseProperties();
    const companies = portal.objects.createMany(
      "companies",
      Array.from({ length: 250 }, (_, index) => ({ name: `Client ${index + 1}` })),
    );
    const updates = countCalls(emulator, "POST /crm/v3/objects/companies/batch/update");

    const result = await crm.updateCompanies(
      companies.map((company, index) => ({
        id: company.id,
        properties: {
          encaisse_outstanding_amount: `${index}.05`,
          encaisse_last_payment_date: "2026-11-20",
          encaisse_payment_risk: index % 2 === 0 ? "low" : "high",
        },
      })),
    );

    expect(result).toEqual({ calls: 3, updated: 250, failedIds: [] });
    expect(updates()).toBe(3);
    const last = portal.objects.get("companies", companies[249]?.id ?? "");
    expect(last?.values.get("encaisse_outstanding_amount")).toBe("249.05");
    expect(last?.values.get("encaisse_last_payment_date")).toBe("2026-11-20");
    expect(last?.values.get("encaisse_payment_risk")).toBe("high");
  });

  it("a deal listed twice is written once with its latest values; a deleted one is reported, not fatal", async () => {
    const { crm, portal } = hubspot.connect();
    await crm.ensureEncaisseProperties();
    const [kept, deleted] = portal.objects.createMany("deals", [
      { dealname: "A" },
      { dealname: "B" },
    ]);
    if (!kept || !deleted) throw new Error("deals not created");
    portal.archive(deleted);

    const result = await crm.updateDeals([
      {
        id: kept.id,
        properties: { encaisse_invoice_status: "open", encaisse_invoice_number: "F-1" },
      },
      { id: deleted.id, properties: { encaisse_invoice_status: "paid" } },
      { id: kept.id, properties: { encaisse_invoice_status: "paid" } },
    ]);

    expect(result).toEqual({ calls: 1, updated: 1, failedIds: [deleted.id] });
    expect(portal.objects.get("deals", kept.id)?.values.get("encaisse_invoice_status")).toBe(
      "paid",
    );
    expect(portal.objects.get("deals", kept.id)?.values.get("encaisse_invoice_number")).toBe("F-1");
  });

  it("nothing to write makes no call", async () => {
    const { crm } = hubspot.connect();
    expect(await crm.updateCompanies([])).toEqual({ calls: 0, updated: 0, failedIds: [] });
  });
});
