/**
 * The HubSpot-defined properties and groups each object type starts with: the ones the
 * product and the seed touch, with HubSpot's internal names, types and (for the enumerations
 * we validate) options. Calculated ones are read-only, as on HubSpot.
 */
import type { CrmObjectType } from "./object-types";

export type PropertyType =
  "string" | "number" | "date" | "datetime" | "enumeration" | "bool" | "phone_number";

export interface PropertyOption {
  readonly label: string;
  readonly value: string;
  readonly description?: string;
  readonly displayOrder: number;
  readonly hidden: boolean;
}

export interface PropertySeed {
  readonly name: string;
  readonly label: string;
  readonly type: PropertyType;
  readonly fieldType: string;
  readonly groupName: string;
  readonly options?: readonly PropertyOption[];
  readonly hasUniqueValue?: boolean;
  /** Calculated by HubSpot: a write is refused with READ_ONLY_VALUE. */
  readonly readOnlyValue?: boolean;
  /** Values are owner ids (`hubspot_owner_id`). */
  readonly referencesOwners?: boolean;
}

export interface GroupSeed {
  readonly name: string;
  readonly label: string;
  readonly displayOrder: number;
}

const options = (values: readonly (readonly [value: string, label: string])[]): PropertyOption[] =>
  values.map(([value, label], index) => ({ label, value, displayOrder: index, hidden: false }));

/** The default sales pipeline's stages (internal ids as HubSpot ships them). */
export const DEFAULT_DEAL_STAGES = [
  ["appointmentscheduled", "Appointment Scheduled"],
  ["qualifiedtobuy", "Qualified To Buy"],
  ["presentationscheduled", "Presentation Scheduled"],
  ["decisionmakerboughtin", "Decision Maker Bought-In"],
  ["contractsent", "Contract Sent"],
  ["closedwon", "Closed Won"],
  ["closedlost", "Closed Lost"],
] as const;
export type DealStage = (typeof DEFAULT_DEAL_STAGES)[number][0];

const LIFECYCLE_STAGES = options([
  ["subscriber", "Subscriber"],
  ["lead", "Lead"],
  ["marketingqualifiedlead", "Marketing Qualified Lead"],
  ["salesqualifiedlead", "Sales Qualified Lead"],
  ["opportunity", "Opportunity"],
  ["customer", "Customer"],
  ["evangelist", "Evangelist"],
  ["other", "Other"],
]);

const text = (
  name: string,
  label: string,
  groupName: string,
  extra: Partial<PropertySeed> = {},
): PropertySeed => ({
  name,
  label,
  type: "string",
  fieldType: "text",
  groupName,
  ...extra,
});
const textarea = (name: string, label: string, groupName: string): PropertySeed => ({
  ...text(name, label, groupName),
  fieldType: "textarea",
});
const phone = (name: string, label: string, groupName: string): PropertySeed => ({
  name,
  label,
  type: "string",
  fieldType: "phonenumber",
  groupName,
});
const number = (
  name: string,
  label: string,
  groupName: string,
  extra: Partial<PropertySeed> = {},
): PropertySeed => ({
  name,
  label,
  type: "number",
  fieldType: "number",
  groupName,
  ...extra,
});
const datetime = (
  name: string,
  label: string,
  groupName: string,
  extra: Partial<PropertySeed> = {},
): PropertySeed => ({
  name,
  label,
  type: "datetime",
  fieldType: "date",
  groupName,
  ...extra,
});
const select = (
  name: string,
  label: string,
  groupName: string,
  choices: readonly PropertyOption[],
): PropertySeed => ({
  name,
  label,
  type: "enumeration",
  fieldType: "select",
  groupName,
  options: choices,
});
const owner = (groupName: string): PropertySeed => ({
  name: "hubspot_owner_id",
  label: "Owner",
  type: "enumeration",
  fieldType: "select",
  groupName,
  referencesOwners: true,
});

/** createdate / last modified / hs_object_id, calculated on every type. */
function systemProperties(
  groupName: string,
  created: string,
  lastModified: string,
): PropertySeed[] {
  return [
    datetime(created, "Create Date", groupName, { readOnlyValue: true }),
    datetime(lastModified, "Last Modified Date", groupName, { readOnlyValue: true }),
    number("hs_object_id", "Record ID", groupName, { readOnlyValue: true }),
  ];
}

function activityProperties(groupName: string): PropertySeed[] {
  return [
    datetime("notes_last_updated", "Last Activity Date", groupName, { readOnlyValue: true }),
    datetime("notes_last_contacted", "Last Contacted", groupName, { readOnlyValue: true }),
    datetime("notes_next_activity_date", "Next Activity Date", groupName, { readOnlyValue: true }),
  ];
}

export const DEFAULT_GROUPS: Readonly<Record<CrmObjectType, readonly GroupSeed[]>> = {
  companies: [
    { name: "companyinformation", label: "Company information", displayOrder: 0 },
    { name: "company_activity", label: "Company activity", displayOrder: 1 },
  ],
  contacts: [
    { name: "contactinformation", label: "Contact information", displayOrder: 0 },
    { name: "contact_activity", label: "Contact activity", displayOrder: 1 },
  ],
  deals: [
    { name: "dealinformation", label: "Deal information", displayOrder: 0 },
    { name: "deal_activity", label: "Deal activity", displayOrder: 1 },
  ],
  line_items: [{ name: "lineiteminformation", label: "Line item information", displayOrder: 0 }],
  products: [{ name: "productinformation", label: "Product information", displayOrder: 0 }],
  tasks: [{ name: "taskinformation", label: "Task information", displayOrder: 0 }],
  notes: [{ name: "engagement", label: "Engagement information", displayOrder: 0 }],
};

export const DEFAULT_PROPERTIES: Readonly<Record<CrmObjectType, readonly PropertySeed[]>> = {
  companies: [
    text("name", "Company name", "companyinformation"),
    text("domain", "Company Domain Name", "companyinformation"),
    text("website", "Website URL", "companyinformation"),
    phone("phone", "Phone Number", "companyinformation"),
    text("address", "Street Address", "companyinformation"),
    text("address2", "Street Address 2", "companyinformation"),
    text("city", "City", "companyinformation"),
    text("zip", "Postal Code", "companyinformation"),
    text("state", "State/Region", "companyinformation"),
    text("country", "Country/Region", "companyinformation"),
    text("industry", "Industry", "companyinformation"),
    textarea("description", "Description", "companyinformation"),
    number("numberofemployees", "Number of Employees", "companyinformation"),
    number("annualrevenue", "Annual Revenue", "companyinformation"),
    select("lifecyclestage", "Lifecycle Stage", "companyinformation", LIFECYCLE_STAGES),
    owner("companyinformation"),
    ...systemProperties("companyinformation", "createdate", "hs_lastmodifieddate"),
    ...activityProperties("company_activity"),
  ],
  contacts: [
    text("email", "Email", "contactinformation", { hasUniqueValue: true }),
    text("firstname", "First Name", "contactinformation"),
    text("lastname", "Last Name", "contactinformation"),
    phone("phone", "Phone Number", "contactinformation"),
    phone("mobilephone", "Mobile Phone Number", "contactinformation"),
    text("jobtitle", "Job Title", "contactinformation"),
    text("company", "Company Name", "contactinformation"),
    text("city", "City", "contactinformation"),
    text("country", "Country/Region", "contactinformation"),
    select("lifecyclestage", "Lifecycle Stage", "contactinformation", LIFECYCLE_STAGES),
    owner("contactinformation"),
    ...systemProperties("contactinformation", "createdate", "lastmodifieddate"),
    ...activityProperties("contact_activity"),
  ],
  deals: [
    text("dealname", "Deal Name", "dealinformation"),
    number("amount", "Amount", "dealinformation"),
    select("dealstage", "Deal Stage", "dealinformation", options(DEFAULT_DEAL_STAGES)),
    select("pipeline", "Pipeline", "dealinformation", options([["default", "Sales Pipeline"]])),
    datetime("closedate", "Close Date", "dealinformation"),
    textarea("description", "Deal Description", "dealinformation"),
    text("deal_currency_code", "Currency", "dealinformation"),
    text("closed_lost_reason", "Closed Lost Reason", "dealinformation"),
    owner("dealinformation"),
    ...systemProperties("dealinformation", "createdate", "hs_lastmodifieddate"),
    ...activityProperties("deal_activity"),
  ],
  line_items: [
    text("name", "Name", "lineiteminformation"),
    textarea("description", "Description", "lineiteminformation"),
    number("quantity", "Quantity", "lineiteminformation"),
    number("price", "Unit price", "lineiteminformation"),
    number("hs_discount_percentage", "Discount Percentage", "lineiteminformation"),
    number("discount", "Unit discount", "lineiteminformation"),
    number("amount", "Net price", "lineiteminformation", { readOnlyValue: true }),
    text("hs_product_id", "Product ID", "lineiteminformation"),
    text("hs_sku", "SKU", "lineiteminformation"),
    text("hs_line_item_currency_code", "Currency", "lineiteminformation"),
    number("hs_position_on_quote", "Position on quote", "lineiteminformation"),
    ...systemProperties("lineiteminformation", "createdate", "hs_lastmodifieddate"),
  ],
  products: [
    text("name", "Name", "productinformation"),
    textarea("description", "Description", "productinformation"),
    number("price", "Unit price", "productinformation"),
    text("hs_sku", "SKU", "productinformation"),
    number("hs_cost_of_goods_sold", "Unit cost", "productinformation"),
    ...systemProperties("productinformation", "createdate", "hs_lastmodifieddate"),
  ],
  tasks: [
    text("hs_task_subject", "Task Title", "taskinformation"),
    textarea("hs_task_body", "Notes", "taskinformation"),
    select(
      "hs_task_status",
      "Task Status",
      "taskinformation",
      options([
        ["NOT_STARTED", "Not started"],
        ["IN_PROGRESS", "In progress"],
        ["WAITING", "Waiting"],
        ["COMPLETED", "Completed"],
        ["DEFERRED", "Deferred"],
      ]),
    ),
    select(
      "hs_task_priority",
      "Priority",
      "taskinformation",
      options([
        ["NONE", "None"],
        ["LOW", "Low"],
        ["MEDIUM", "Medium"],
        ["HIGH", "High"],
      ]),
    ),
    select(
      "hs_task_type",
      "Task Type",
      "taskinformation",
      options([
        ["TODO", "To-do"],
        ["CALL", "Call"],
        ["EMAIL", "Email"],
      ]),
    ),
    datetime("hs_timestamp", "Due date", "taskinformation"),
    datetime("hs_task_completion_date", "Completed at", "taskinformation", { readOnlyValue: true }),
    owner("taskinformation"),
    ...systemProperties("taskinformation", "hs_createdate", "hs_lastmodifieddate"),
  ],
  notes: [
    textarea("hs_note_body", "Note body", "engagement"),
    datetime("hs_timestamp", "Activity date", "engagement"),
    text("hs_attachment_ids", "Attached file IDs", "engagement"),
    owner("engagement"),
    ...systemProperties("engagement", "hs_createdate", "hs_lastmodifieddate"),
  ],
};
