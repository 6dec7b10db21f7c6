/**
 * The HubSpot properties Encaisse writes (receivables rollups on companies, the invoice on
 * deals), grouped under "Encaisse", and `ensureEncaisseProperties`, which creates whatever
 * is missing. Labels are French (what the rep reads), descriptions English (what an admin
 * or a partner agency reads in the property settings). Names are `encaisse_`-prefixed and
 * must never change once installed: reports and workflows reference them.
 * https://developers.hubspot.com/docs/api/crm/properties
 */
import { invoiceStatusSchema } from "@encaisse/shared";

export type PropertyObjectType = "companies" | "deals";

export const ENCAISSE_GROUP = { name: "encaisse", label: "Encaisse", displayOrder: -1 } as const;

export interface PropertyOption {
  readonly value: string;
  readonly label: string;
  readonly displayOrder: number;
  readonly hidden: false;
}

export interface PropertyDefinition {
  readonly name: string;
  readonly label: string;
  readonly description: string;
  readonly type: "string" | "number" | "date" | "enumeration";
  readonly fieldType: "text" | "number" | "date" | "select";
  readonly groupName: typeof ENCAISSE_GROUP.name;
  readonly displayOrder: number;
  /** Never offered in HubSpot forms: these describe a customer account, not a lead. */
  readonly formField: false;
  readonly options?: readonly PropertyOption[];
}

const options = (entries: ReadonlyArray<readonly [string, string]>): PropertyOption[] =>
  entries.map(([value, label], index) => ({ value, label, displayOrder: index, hidden: false }));

const define = (
  order: number,
  definition: Omit<PropertyDefinition, "groupName" | "displayOrder" | "formField">,
): PropertyDefinition => ({
  ...definition,
  groupName: ENCAISSE_GROUP.name,
  displayOrder: order,
  formField: false,
});

// api-client 13.5 serialises only the fields its PropertyCreate model knows: no
// `numberDisplayHint` / `showCurrencySymbol`, so amounts are plain numbers (euros, "1234.56").
const number = (order: number, name: string, label: string, description: string) =>
  define(order, { name, label, description, type: "number", fieldType: "number" });

/** The company rollups, recomputed by the sync from the accounting software, and the identifiers invoices need. */
export const ENCAISSE_COMPANY_PROPERTIES = {
  outstandingAmount: number(
    1,
    "encaisse_outstanding_amount",
    "Encours client",
    "Total still owed by this customer on issued invoices, in the invoices' currency. Updated by Encaisse.",
  ),
  overdueAmount: number(
    2,
    "encaisse_overdue_amount",
    "Montant échu impayé",
    "Part of the outstanding amount whose due date has passed. Updated by Encaisse.",
  ),
  oldestOverdueDays: number(
    3,
    "encaisse_oldest_overdue_days",
    "Retard le plus ancien (jours)",
    "Days since the due date of the oldest unpaid overdue invoice; empty when nothing is overdue.",
  ),
  lastPaymentDate: define(4, {
    name: "encaisse_last_payment_date",
    label: "Date du dernier paiement",
    description: "Date of the customer's most recent payment recorded in the accounting software.",
    type: "date",
    fieldType: "date",
  }),
  averagePaymentDelayDays: number(
    5,
    "encaisse_average_payment_delay_days",
    "Délai moyen de paiement (jours)",
    "Average days between invoice due date and full payment over the last 12 months (negative when early).",
  ),
  paymentRisk: define(6, {
    name: "encaisse_payment_risk",
    label: "Risque de paiement",
    description: "Payment risk Encaisse derives from overdue amounts and payment history.",
    type: "enumeration",
    fieldType: "select",
    options: options([
      ["low", "Faible"],
      ["medium", "Moyen"],
      ["high", "Élevé"],
    ]),
  }),
  // Filled in by the rep: French invoices need them (décret 2022-1299) and HubSpot has no
  // native field for either. The SIREN lives in a property the tenant chooses (see HubSpotCrm).
  vatNumber: define(7, {
    name: "encaisse_vat_number",
    label: "N° de TVA intracommunautaire",
    description:
      "The customer's intra-EU VAT number (e.g. FR44732829320), printed on invoices; required for EU customers outside France.",
    type: "string",
    fieldType: "text",
  }),
  siret: define(8, {
    name: "encaisse_siret",
    label: "SIRET de facturation",
    description: "14-digit SIRET of the invoiced establishment; optional when the SIREN is set.",
    type: "string",
    fieldType: "text",
  }),
} as const satisfies Record<string, PropertyDefinition>;

const INVOICE_STATUS_LABELS: Readonly<Record<string, string>> = {
  draft: "Brouillon",
  open: "Émise",
  partially_paid: "Partiellement payée",
  paid: "Payée",
  overdue: "En retard",
  cancelled: "Annulée",
  credit_note: "Avoir",
};

/** The invoice created from a won deal, written back to the deal. */
export const ENCAISSE_DEAL_PROPERTIES = {
  invoiceNumber: define(1, {
    name: "encaisse_invoice_number",
    label: "Numéro de facture",
    description:
      "Number of the invoice Encaisse created from this deal in the accounting software.",
    type: "string",
    fieldType: "text",
  }),
  invoiceStatus: define(2, {
    name: "encaisse_invoice_status",
    label: "Statut de la facture",
    description: "Status of this deal's invoice in the accounting software. Updated by Encaisse.",
    type: "enumeration",
    fieldType: "select",
    options: options(
      invoiceStatusSchema.options.map(
        (status) => [status, INVOICE_STATUS_LABELS[status] ?? status] as const,
      ),
    ),
  }),
  amountRemaining: number(
    3,
    "encaisse_amount_remaining",
    "Reste à payer",
    "Amount of this deal's invoice still unpaid, taxes included. Updated by Encaisse.",
  ),
  paidDate: define(4, {
    name: "encaisse_paid_date",
    label: "Date de paiement",
    description: "Date this deal's invoice was fully paid.",
    type: "date",
    fieldType: "date",
  }),
  invoiceLink: define(5, {
    name: "encaisse_invoice_link",
    label: "Lien de la facture",
    description: "Link to the invoice in the accounting software.",
    type: "string",
    fieldType: "text",
  }),
} as const satisfies Record<string, PropertyDefinition>;

export const ENCAISSE_PROPERTIES: Readonly<
  Record<PropertyObjectType, readonly PropertyDefinition[]>
> = {
  companies: Object.values(ENCAISSE_COMPANY_PROPERTIES),
  deals: Object.values(ENCAISSE_DEAL_PROPERTIES),
};

/** What `ensureEncaisseProperties` needs from a HubSpot client. */
export interface PropertyAdmin {
  groupNames(objectType: PropertyObjectType): Promise<ReadonlySet<string>>;
  propertyNames(objectType: PropertyObjectType): Promise<ReadonlySet<string>>;
  /** Resolves when created or when HubSpot says it already exists. */
  createGroup(objectType: PropertyObjectType, group: typeof ENCAISSE_GROUP): Promise<void>;
  createProperty(objectType: PropertyObjectType, property: PropertyDefinition): Promise<void>;
}

export interface EnsurePropertiesReport {
  readonly createdGroups: readonly string[];
  /** "companies.encaisse_outstanding_amount", … */
  readonly createdProperties: readonly string[];
}

/**
 * Creates the Encaisse group and each missing property, on companies and deals. Lists what
 * exists first, so a second run makes only reads; a concurrent run racing us is harmless
 * because "already exists" counts as done.
 */
export async function ensureEncaisseProperties(
  admin: PropertyAdmin,
): Promise<EnsurePropertiesReport> {
  const createdGroups: string[] = [];
  const createdProperties: string[] = [];
  for (const objectType of ["companies", "deals"] as const) {
    const [groups, existing] = await Promise.all([
      admin.groupNames(objectType),
      admin.propertyNames(objectType),
    ]);
    if (!groups.has(ENCAISSE_GROUP.name)) {
      await admin.createGroup(objectType, ENCAISSE_GROUP);
      createdGroups.push(`${objectType}.${ENCAISSE_GROUP.name}`);
    }
    for (const property of ENCAISSE_PROPERTIES[objectType]) {
      if (existing.has(property.name)) continue;
      await admin.createProperty(objectType, property);
      createdProperties.push(`${objectType}.${property.name}`);
    }
  }
  return { createdGroups, createdProperties };
}
