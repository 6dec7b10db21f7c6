/**
 * Seeds a portal from the book, as a French SME's CRM looks next to its ledger: one company
 * per customer (with a custom `siren` property, left empty on ~10 % of them, and a name that
 * differs slightly from the ledger's on ~5 %, so matching has work to do), 1-3 contacts per
 * company, a few sales reps as owners, open deals across the default pipeline and won deals
 * whose line items come from the products (each carrying our VAT code in
 * `encaisse_vat_code`), and notes and tasks that give "last activity" dates. Deterministic:
 * the same book gives the same CRM.
 */
import { VAT_CODES, type VatCode } from "@encaisse/shared";
import type { Book, SeedCompany, SeedInvoiceLine } from "../../fixtures/book";
import { CATALOG, type DecimalRange, FIRST_NAMES, LAST_NAMES } from "../../fixtures/french-data";
import { seededRandom } from "../common/random";
import { ASSOCIATION_TYPE_IDS } from "./associations";
import { ZERO, add, decimalOf, formatDecimal } from "./decimals";
import type { DealStage } from "./default-properties";
import type { CrmRecord } from "./objects";
import type { OwnerRecord } from "./owners";
import type { Portal } from "./portal";

export interface LoadedBook {
  readonly portalId: number;
  /** HubSpot company id by book company key ("c001"). */
  readonly companyIds: Readonly<Record<string, string>>;
  /** HubSpot product id by catalogue label. */
  readonly productIds: Readonly<Record<string, string>>;
  readonly ownerIds: readonly string[];
  /** Book keys of the companies loaded without a SIREN. */
  readonly withoutSiren: readonly string[];
  /** Book keys of the companies whose CRM name differs from the ledger's. */
  readonly renamed: readonly string[];
  readonly counts: {
    readonly companies: number;
    readonly contacts: number;
    readonly openDeals: number;
    readonly wonDeals: number;
    readonly lineItems: number;
    readonly products: number;
    readonly notes: number;
    readonly tasks: number;
  };
}

const SIREN_MISSING_SHARE = 0.1;
const RENAMED_SHARE = 0.05;
const DAY_MS = 86_400_000;
const SELLER_DOMAIN = "agence-encaisse.fr";
const OPEN_STAGES: readonly DealStage[] = [
  "appointmentscheduled",
  "qualifiedtobuy",
  "presentationscheduled",
  "decisionmakerboughtin",
  "contractsent",
];
const COUNTRY_NAMES: Readonly<Record<string, string>> = {
  FR: "France",
  BE: "Belgique",
  LU: "Luxembourg",
  DE: "Allemagne",
  ES: "Espagne",
};
const JOB_TITLES = [
  "Directrice administrative et financière",
  "Gérant",
  "Comptable",
  "Responsable achats",
  "Assistante de direction",
  "Directeur commercial",
];
const NOTE_TOPICS = [
  "Appel de suivi : le client prépare son budget du trimestre.",
  "Rendez-vous sur site, validation de la maquette.",
  "Relance par téléphone sur le devis envoyé.",
  "Échange avec la comptabilité sur les conditions de paiement.",
  "Point d'avancement du projet, client satisfait.",
];

/** Draws from mulberry32, as the book generator does: the same seed always gives the same CRM. */
class Random {
  private readonly next: () => number;

  constructor(seed: number) {
    this.next = seededRandom(seed);
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error("cannot pick from an empty list");
    return item;
  }
}

const iso = (ms: number) => new Date(ms).toISOString();

function decimalText(range: DecimalRange, steps: number): string {
  return formatDecimal({ units: BigInt(range.min + steps * range.step), scale: range.scale });
}

function drawDecimal(random: Random, range: DecimalRange): string {
  return decimalText(range, random.int(0, Math.floor((range.max - range.min) / range.step)));
}

function slug(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

/** A name a sales rep would have typed: no legal form, capitals, or the form first. */
function alteredName(random: Random, name: string): string {
  const match = /^(.*)\s+(SAS|SARL|SASU|EURL|SA|SCOP|SNC|SELARL)$/.exec(name);
  const variant = random.int(0, 2);
  if (match === null || variant === 1)
    return name.toUpperCase() === name ? `${name} (siège)` : name.toUpperCase();
  return variant === 0 ? (match[1] ?? name) : `${match[2] ?? ""} ${match[1] ?? ""}`;
}

function defineSeedProperties(portal: Portal): void {
  const vatOptions = Object.keys(VAT_CODES).map((code, index) => ({
    label: code,
    value: code,
    displayOrder: index,
    hidden: false,
  }));
  if (portal.properties.get("companies", "siren") === undefined) {
    portal.properties.create("companies", {
      name: "siren",
      label: "SIREN",
      type: "string",
      fieldType: "text",
      groupName: "companyinformation",
      description: "Numéro SIREN (9 chiffres)",
      hasUniqueValue: false,
    });
  }
  for (const [type, groupName] of [
    ["products", "productinformation"],
    ["line_items", "lineiteminformation"],
  ] as const) {
    if (portal.properties.get(type, "encaisse_vat_code") !== undefined) continue;
    portal.properties.create(type, {
      name: "encaisse_vat_code",
      label: "Code TVA",
      type: "enumeration",
      fieldType: "select",
      groupName,
      description: "Code TVA Encaisse (FR_200, FR_100, FR_55, exempt…)",
      options: vatOptions,
    });
  }
}

export function loadBookInto(portal: Portal, book: Book): LoadedBook {
  const random = new Random(book.seed ^ 0x4855_4253);
  const todayMs = Date.parse(`${book.today}T10:00:00Z`);
  defineSeedProperties(portal);

  const owners: OwnerRecord[] = Array.from({ length: 3 }, (_, index) => {
    const firstName = FIRST_NAMES[(book.seed + index * 17) % FIRST_NAMES.length] ?? "Camille";
    const lastName = LAST_NAMES[(book.seed + index * 29) % LAST_NAMES.length] ?? "Martin";
    return portal.owners.add({
      firstName,
      lastName,
      email: `${slug(firstName)}.${slug(lastName)}@${SELLER_DOMAIN}`,
      teams: [{ id: "1001", name: "Ventes", primary: true }],
    });
  });

  const products = new Map<string, CrmRecord>();
  CATALOG.forEach((item, index) => {
    const product = portal.objects.create(
      "products",
      {
        name: item.label,
        price: decimalText(
          item.unitPrice,
          Math.floor((item.unitPrice.max - item.unitPrice.min) / item.unitPrice.step / 2),
        ),
        hs_sku: `ENC-${String(index + 1).padStart(3, "0")}`,
        encaisse_vat_code: item.vatCode,
      },
      { atMs: todayMs - 900 * DAY_MS },
    );
    products.set(item.label, product);
  });

  const linesByCustomer = new Map<string, SeedInvoiceLine[][]>();
  for (const invoice of book.invoices) {
    if (invoice.draft || invoice.cancelled || invoice.creditNoteOf !== null) continue;
    const list = linesByCustomer.get(invoice.customerKey) ?? [];
    list.push([...invoice.lines]);
    linesByCustomer.set(invoice.customerKey, list);
  }

  const companyIds: Record<string, string> = {};
  const withoutSiren: string[] = [];
  const renamed: string[] = [];
  const emails = new Set<string>();
  const counts = {
    companies: 0,
    contacts: 0,
    openDeals: 0,
    wonDeals: 0,
    lineItems: 0,
    products: products.size,
    notes: 0,
    tasks: 0,
  };

  for (const seed of book.companies) {
    const owner = random.pick(owners);
    const createdAtMs = todayMs - random.int(200, 900) * DAY_MS;
    const missingSiren = random.chance(SIREN_MISSING_SHARE);
    const isRenamed = random.chance(RENAMED_SHARE);
    if (missingSiren) withoutSiren.push(seed.key);
    if (isRenamed) renamed.push(seed.key);
    const company = portal.objects.create(
      "companies",
      {
        name: isRenamed ? alteredName(random, seed.name) : seed.name,
        domain: seed.domain,
        website: `https://www.${seed.domain}`,
        phone: seed.phone,
        address: seed.address.line1,
        city: seed.address.city,
        zip: seed.address.postalCode,
        country: COUNTRY_NAMES[seed.address.countryCode] ?? seed.address.countryCode,
        lifecyclestage: "customer",
        hubspot_owner_id: owner.id,
        siren: missingSiren ? null : seed.siren,
      },
      { atMs: createdAtMs },
    );
    companyIds[seed.key] = company.id;
    counts.companies += 1;

    const contacts = createContacts(portal, random, seed, company, owner, emails, createdAtMs);
    counts.contacts += contacts.length;

    const deals = createDeals(portal, random, {
      company,
      owner,
      seed,
      contacts,
      products,
      invoiceLines: linesByCustomer.get(seed.key) ?? [],
      todayMs,
    });
    counts.openDeals += deals.open;
    counts.wonDeals += deals.won;
    counts.lineItems += deals.lineItems;

    const activity = createEngagements(portal, random, { company, owner, contacts, todayMs });
    counts.notes += activity.notes;
    counts.tasks += activity.tasks;
  }

  return {
    portalId: portal.portalId,
    companyIds,
    productIds: Object.fromEntries([...products].map(([label, product]) => [label, product.id])),
    ownerIds: owners.map((owner) => owner.id),
    withoutSiren,
    renamed,
    counts,
  };
}

function createContacts(
  portal: Portal,
  random: Random,
  seed: SeedCompany,
  company: CrmRecord,
  owner: OwnerRecord,
  emails: Set<string>,
  createdAtMs: number,
): CrmRecord[] {
  const people = [
    {
      firstName: seed.contact.firstName,
      lastName: seed.contact.lastName,
      email: seed.contact.email,
    },
  ];
  const extra = random.int(0, 2);
  for (let index = 0; index < extra; index += 1) {
    const firstName = random.pick(FIRST_NAMES);
    const lastName = random.pick(LAST_NAMES);
    people.push({
      firstName,
      lastName,
      email: `${slug(firstName)}.${slug(lastName)}@${seed.domain}`,
    });
  }
  const fresh = people.filter((person) => {
    const key = person.email.toLowerCase();
    if (emails.has(key)) return false;
    emails.add(key);
    return true;
  });
  const contacts = portal.objects.createMany(
    "contacts",
    fresh.map((person) => ({
      email: person.email,
      firstname: person.firstName,
      lastname: person.lastName,
      jobtitle: random.pick(JOB_TITLES),
      phone: seed.phone,
      company: seed.name,
      city: seed.address.city,
      lifecyclestage: "customer",
      hubspot_owner_id: owner.id,
    })),
    { atMs: createdAtMs + random.int(0, 30) * DAY_MS },
  );
  contacts.forEach((contact, index) => {
    const typeId =
      index === 0
        ? ASSOCIATION_TYPE_IDS.contactToCompanyPrimary
        : ASSOCIATION_TYPE_IDS.contactToCompany;
    portal.associate(
      { type: "contacts", id: contact.id },
      { type: "companies", id: company.id },
      typeId,
    );
  });
  return contacts;
}

interface DealContext {
  readonly company: CrmRecord;
  readonly owner: OwnerRecord;
  readonly seed: SeedCompany;
  readonly contacts: readonly CrmRecord[];
  readonly products: ReadonlyMap<string, CrmRecord>;
  readonly invoiceLines: readonly (readonly SeedInvoiceLine[])[];
  readonly todayMs: number;
}

/** Lines of a won deal: what this customer usually buys (one of its invoices), else from the catalogue. */
function wonDealLines(random: Random, context: DealContext): SeedInvoiceLine[] {
  if (context.invoiceLines.length > 0) return [...random.pick(context.invoiceLines)];
  return Array.from({ length: random.int(1, 3) }, () => {
    const item = random.pick(CATALOG);
    return {
      label: item.label,
      quantity: drawDecimal(random, item.quantity),
      unitPriceExclTax: drawDecimal(random, item.unitPrice),
      vatCode: item.vatCode as VatCode,
      discountPercent: random.chance(0.1) ? "10" : null,
    };
  });
}

function createDeals(
  portal: Portal,
  random: Random,
  context: DealContext,
): { open: number; won: number; lineItems: number } {
  const { company, owner, seed, contacts, todayMs } = context;
  const shortName = seed.name.replace(/\s+(SAS|SARL|SASU|EURL|SA|SCOP|SNC|SELARL)$/, "");
  const result = { open: 0, won: 0, lineItems: 0 };
  const attach = (deal: CrmRecord) => {
    portal.associate(
      { type: "deals", id: deal.id },
      { type: "companies", id: company.id },
      ASSOCIATION_TYPE_IDS.dealToCompanyPrimary,
    );
    const contact = contacts[0];
    if (contact !== undefined) {
      portal.associate(
        { type: "deals", id: deal.id },
        { type: "contacts", id: contact.id },
        ASSOCIATION_TYPE_IDS.dealToContact,
      );
    }
  };

  const openDeals = (random.chance(0.6) ? 1 : 0) + (random.chance(0.2) ? 1 : 0);
  for (let index = 0; index < openDeals; index += 1) {
    const item = random.pick(CATALOG);
    const createdAtMs = todayMs - random.int(5, 60) * DAY_MS;
    const deal = portal.objects.create(
      "deals",
      {
        dealname: `${shortName} - ${item.label}`,
        dealstage: random.pick(OPEN_STAGES),
        amount: drawDecimal(random, { min: 50_000, max: 2_500_000, step: 10_000, scale: 2 }),
        closedate: iso(todayMs + random.int(10, 90) * DAY_MS),
        deal_currency_code: "EUR",
        hubspot_owner_id: owner.id,
      },
      { atMs: createdAtMs },
    );
    attach(deal);
    result.open += 1;
  }

  const wonDeals = (random.chance(0.7) ? 1 : 0) + (random.chance(0.25) ? 1 : 0);
  for (let index = 0; index < wonDeals; index += 1) {
    const lines = wonDealLines(random, context);
    const closedAtMs = todayMs - random.int(0, 120) * DAY_MS;
    const deal = portal.objects.create(
      "deals",
      {
        dealname: `${shortName} - ${lines[0]?.label ?? "Commande"}`,
        dealstage: "closedwon",
        closedate: iso(closedAtMs),
        deal_currency_code: "EUR",
        hubspot_owner_id: owner.id,
      },
      { atMs: closedAtMs - random.int(10, 60) * DAY_MS },
    );
    const lineItems = portal.objects.createMany(
      "line_items",
      lines.map((line, position) => ({
        hs_product_id: context.products.get(line.label)?.id ?? null,
        name: line.label,
        quantity: line.quantity,
        price: line.unitPriceExclTax,
        hs_discount_percentage: line.discountPercent,
        encaisse_vat_code: line.vatCode,
        hs_position_on_quote: position,
      })),
      { atMs: closedAtMs },
    );
    for (const lineItem of lineItems) {
      portal.associate(
        { type: "line_items", id: lineItem.id },
        { type: "deals", id: deal.id },
        ASSOCIATION_TYPE_IDS.lineItemToDeal,
      );
    }
    const total = lineItems.reduce(
      (sum, lineItem) => add(sum, decimalOf(lineItem.values.get("amount") ?? "0") ?? ZERO),
      ZERO,
    );
    portal.objects.update("deals", deal, { amount: formatDecimal(total) }, { atMs: closedAtMs });
    attach(deal);
    result.won += 1;
    result.lineItems += lineItems.length;
  }
  return result;
}

function createEngagements(
  portal: Portal,
  random: Random,
  context: {
    company: CrmRecord;
    owner: OwnerRecord;
    contacts: readonly CrmRecord[];
    todayMs: number;
  },
): { notes: number; tasks: number } {
  const { company, owner, contacts, todayMs } = context;
  const noteCount = random.int(0, 3);
  let lastContactedMs = 0;
  for (let index = 0; index < noteCount; index += 1) {
    const atMs = todayMs - random.int(1, 120) * DAY_MS;
    lastContactedMs = Math.max(lastContactedMs, atMs);
    const note = portal.objects.create(
      "notes",
      {
        hs_note_body: random.pick(NOTE_TOPICS),
        hs_timestamp: iso(atMs),
        hubspot_owner_id: owner.id,
      },
      { atMs },
    );
    portal.associate(
      { type: "notes", id: note.id },
      { type: "companies", id: company.id },
      ASSOCIATION_TYPE_IDS.noteToCompany,
    );
    const contact = contacts[0];
    if (contact !== undefined) {
      portal.associate(
        { type: "notes", id: note.id },
        { type: "contacts", id: contact.id },
        ASSOCIATION_TYPE_IDS.noteToContact,
      );
    }
  }
  if (lastContactedMs > 0)
    portal.objects.touch(company, { notes_last_contacted: iso(lastContactedMs) }, lastContactedMs);

  const tasks = random.chance(0.3) ? 1 : 0;
  for (let index = 0; index < tasks; index += 1) {
    const createdAtMs = todayMs - random.int(1, 10) * DAY_MS;
    const task = portal.objects.create(
      "tasks",
      {
        hs_task_subject: "Relancer le client",
        hs_task_body: "Faire le point sur les prochaines commandes.",
        hs_task_status: "NOT_STARTED",
        hs_task_priority: random.pick(["LOW", "MEDIUM", "HIGH"]),
        hs_task_type: "CALL",
        hs_timestamp: iso(todayMs + random.int(1, 14) * DAY_MS),
        hubspot_owner_id: owner.id,
      },
      { atMs: createdAtMs },
    );
    portal.associate(
      { type: "tasks", id: task.id },
      { type: "companies", id: company.id },
      ASSOCIATION_TYPE_IDS.taskToCompany,
    );
  }
  return { notes: noteCount, tasks };
}
