/**
 * What we read from HubSpot, as small types of our own: which HubSpot property feeds which
 * field (one table per object), and the parsing of HubSpot's property strings. HubSpot sends
 * every property value as a string (or null); decimal strings are kept exactly as stored.
 * https://developers.hubspot.com/docs/api/crm/properties
 */
import { z } from "zod";
import {
  type Address,
  type CalendarDate,
  type Cents,
  type DealLineItem,
  isCalendarDate,
  minorUnitDigits,
  parisDateOf,
  parseCents,
} from "@encaisse/shared";
import { ENCAISSE_COMPANY_PROPERTIES } from "./properties";

// ---------------------------------------------------------------- the boundary

const propertyValues = z.record(z.string(), z.string().nullable().optional());

/** One CRM object as the api-client hands it over (after its own deserialisation). */
export const crmObjectSchema = z.object({ id: z.string().min(1), properties: propertyValues });
export type CrmObject = z.infer<typeof crmObjectSchema>;

/** A property value with blanks as null: HubSpot stores "" for a cleared field. */
export function propertyOf(object: CrmObject, name: string): string | null {
  const value = object.properties[name];
  if (value === undefined || value === null) return null;
  const trimmed = value.trim();
  return trimmed === "" ? null : trimmed;
}

// ---------------------------------------------------------------- companies

/** HubSpot company properties we read; SIREN is configurable per tenant (see HubSpotCrm). */
export const COMPANY_PROPERTIES = {
  name: "name",
  domain: "domain",
  line1: "address",
  line2: "address2",
  postalCode: "zip",
  city: "city",
  country: "country",
  phone: "phone",
  ownerId: "hubspot_owner_id",
  siret: ENCAISSE_COMPANY_PROPERTIES.siret.name,
  vatNumber: ENCAISSE_COMPANY_PROPERTIES.vatNumber.name,
  /** Last logged note/call/meeting, and HubSpot's wider "last activity": we show the later. */
  lastActivity: ["notes_last_updated", "hs_last_activity_date"],
} as const;

export function companyPropertyNames(sirenProperty: string): string[] {
  const { lastActivity, ...single } = COMPANY_PROPERTIES;
  return [...Object.values(single), ...lastActivity, sirenProperty];
}

export interface CrmAddress {
  readonly line1: string | null;
  readonly line2: string | null;
  readonly postalCode: string | null;
  readonly city: string | null;
  /** ISO 3166-1 alpha-2; FR when the record names no country, null when we cannot read it. */
  readonly countryCode: string | null;
}

export interface CrmCompany {
  readonly id: string;
  readonly name: string | null;
  readonly domain: string | null;
  readonly siren: string | null;
  readonly siret: string | null;
  readonly vatNumber: string | null;
  readonly address: CrmAddress;
  readonly phone: string | null;
  readonly ownerId: string | null;
  /** ISO 8601 instant. */
  readonly lastActivityAt: string | null;
}

export function toCrmCompany(object: CrmObject, sirenProperty: string): CrmCompany {
  const p = COMPANY_PROPERTIES;
  const country = propertyOf(object, p.country);
  const activity = p.lastActivity
    .map((name) => toInstant(propertyOf(object, name)))
    .filter((instant): instant is string => instant !== null)
    .sort();
  return {
    id: object.id,
    name: propertyOf(object, p.name),
    domain: propertyOf(object, p.domain),
    siren: digitsOrRaw(propertyOf(object, sirenProperty)),
    siret: digitsOrRaw(propertyOf(object, p.siret)),
    vatNumber:
      propertyOf(object, p.vatNumber)
        ?.replace(/[\s.-]/g, "")
        .toUpperCase() ?? null,
    address: {
      line1: propertyOf(object, p.line1),
      line2: propertyOf(object, p.line2),
      postalCode: propertyOf(object, p.postalCode),
      city: propertyOf(object, p.city),
      countryCode: country === null ? "FR" : countryCodeOf(country),
    },
    phone: propertyOf(object, p.phone),
    ownerId: propertyOf(object, p.ownerId),
    lastActivityAt: activity.at(-1) ?? null,
  };
}

/** "732 829 320" -> "732829320"; anything that is not a spaced number stays as typed. */
function digitsOrRaw(value: string | null): string | null {
  if (value === null) return null;
  const digits = value.replace(/[\s.-]/g, "");
  return /^\d+$/.test(digits) ? digits : value;
}

/** The billing address of a company, or null when a mandatory part is missing. */
export function billingAddressOf(company: CrmCompany): Address | null {
  const { line1, line2, postalCode, city, countryCode } = company.address;
  if (line1 === null || postalCode === null || city === null || countryCode === null) return null;
  return { line1, line2, postalCode, city, countryCode };
}

// ---------------------------------------------------------------- countries

/** Region codes Intl names that are not countries. */
const NOT_COUNTRIES = new Set(["EU", "EZ", "UN", "ZZ", "QO", "XA", "XB"]);

/** Spellings Intl does not produce: common abbreviations and alpha-3 codes of our markets. */
const COUNTRY_ALIASES: Readonly<Record<string, string>> = {
  "great britain": "GB",
  angleterre: "GB",
  england: "GB",
  usa: "US",
  "etats unis d amerique": "US",
  holland: "NL",
  hollande: "NL",
  fra: "FR",
  bel: "BE",
  che: "CH",
  lux: "LU",
  deu: "DE",
  esp: "ES",
  ita: "IT",
  gbr: "GB",
  nld: "NL",
  prt: "PT",
  irl: "IE",
  aut: "AT",
  mco: "MC",
};

interface CountryTables {
  readonly byName: ReadonlyMap<string, string>;
  /** Every code Intl knows, deprecated ones included (UK, FX), to its current code. */
  readonly byCode: ReadonlyMap<string, string>;
}

let countryTables: CountryTables | null = null;

const normalizeName = (text: string) =>
  text
    .normalize("NFD")
    .replace(/\p{Diacritic}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();

/** "UK" -> "GB", "FX" -> "FR": the region a legacy code stands for today. */
function currentRegion(code: string): string {
  const canonical = Intl.getCanonicalLocales(`und-${code}`)[0] ?? "";
  return canonical.split("-")[1] ?? code;
}

/** English and French names of every region Intl knows, built once. */
function countries(): CountryTables {
  if (countryTables !== null) return countryTables;
  const byName = new Map<string, string>();
  const byCode = new Map<string, string>();
  const displays = ["en", "fr"].map(
    (locale) => new Intl.DisplayNames([locale], { type: "region", fallback: "none" }),
  );
  const letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  for (const first of letters) {
    for (const second of letters) {
      const code = first + second;
      const names = displays
        .map((display) => display.of(code))
        .filter((name): name is string => name !== undefined && name !== code);
      const region = currentRegion(code);
      if (names.length === 0 || NOT_COUNTRIES.has(region)) continue;
      byCode.set(code, region);
      // A current code's own names win over those of the legacy codes pointing at it.
      for (const name of names) {
        if (region === code || !byName.has(normalizeName(name)))
          byName.set(normalizeName(name), region);
      }
    }
  }
  for (const [alias, code] of Object.entries(COUNTRY_ALIASES)) byName.set(alias, code);
  countryTables = { byName, byCode };
  return countryTables;
}

/** "France", "fr", "Belgique", "Royaume-Uni", "USA"… -> ISO alpha-2; null if unknown. */
export function countryCodeOf(country: string): string | null {
  const trimmed = country.trim();
  const tables = countries();
  if (/^[A-Za-z]{2}$/.test(trimmed)) {
    const region = tables.byCode.get(trimmed.toUpperCase());
    if (region !== undefined) return region;
  }
  return tables.byName.get(normalizeName(trimmed)) ?? null;
}

// ---------------------------------------------------------------- dates

/** HubSpot datetimes arrive as ISO strings or epoch milliseconds; we keep ISO instants. */
export function toInstant(value: string | null): string | null {
  if (value === null) return null;
  const time = /^\d{10,}$/.test(value) ? Number(value) : Date.parse(value);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

/** A date property ("2026-03-31") or a datetime one, as its Paris calendar date. */
export function toCalendarDate(value: string | null): CalendarDate | null {
  if (value === null) return null;
  if (isCalendarDate(value)) return value;
  const instant = toInstant(value);
  return instant === null ? null : parisDateOf(new Date(instant));
}

// ---------------------------------------------------------------- deals

export const DEAL_PROPERTIES = {
  name: "dealname",
  stage: "dealstage",
  amount: "amount",
  currency: "deal_currency_code",
  closeDate: "closedate",
  ownerId: "hubspot_owner_id",
  isClosed: "hs_is_closed",
} as const;

/** HubSpot's default pipeline stages that end a deal, for records without `hs_is_closed`. */
const CLOSED_STAGES = new Set(["closedwon", "closedlost"]);

export interface CrmDeal {
  readonly id: string;
  readonly name: string | null;
  readonly stage: string | null;
  /** The decimal string HubSpot stores, e.g. "12500.50". */
  readonly amount: string | null;
  /** Null when the amount is missing or not a number. */
  readonly amountCents: Cents | null;
  /** ISO 4217; null when the deal uses the account's default currency. */
  readonly currency: string | null;
  readonly closeDate: CalendarDate | null;
  readonly ownerId: string | null;
  readonly closed: boolean;
}

export function toCrmDeal(object: CrmObject): CrmDeal {
  const p = DEAL_PROPERTIES;
  const amount = propertyOf(object, p.amount);
  const currency = propertyOf(object, p.currency)?.toUpperCase() ?? null;
  const stage = propertyOf(object, p.stage);
  const isClosed = propertyOf(object, p.isClosed);
  return {
    id: object.id,
    name: propertyOf(object, p.name),
    stage,
    amount,
    amountCents: amount === null ? null : centsOrNull(amount, currency ?? "EUR"),
    currency,
    closeDate: toCalendarDate(propertyOf(object, p.closeDate)),
    ownerId: propertyOf(object, p.ownerId),
    closed: isClosed === null ? CLOSED_STAGES.has(stage ?? "") : isClosed === "true",
  };
}

function centsOrNull(amount: string, currency: string): Cents | null {
  try {
    return parseCents(amount, minorUnitDigits(currency));
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------- line items and products

export const LINE_ITEM_PROPERTIES = {
  name: "name",
  quantity: "quantity",
  price: "price",
  discountPercent: "hs_discount_percentage",
  productId: "hs_product_id",
  vatCode: "encaisse_vat_code",
  position: "hs_position_on_quote",
} as const;

export const PRODUCT_PROPERTIES = { vatCode: "encaisse_vat_code" } as const;

/**
 * A line item in our shape; the VAT code falls back to the product's, then to null (the
 * tenant's default applies later, in `buildInvoiceDraft`).
 */
export function toDealLineItem(
  object: CrmObject,
  productVatCodes: ReadonlyMap<string, string>,
): DealLineItem {
  const p = LINE_ITEM_PROPERTIES;
  const productId = propertyOf(object, p.productId);
  return {
    id: object.id,
    name: propertyOf(object, p.name) ?? "",
    quantity: propertyOf(object, p.quantity) ?? "",
    unitPriceExclTax: propertyOf(object, p.price) ?? "",
    discountPercent: propertyOf(object, p.discountPercent),
    vatCode:
      propertyOf(object, p.vatCode) ??
      (productId === null ? null : (productVatCodes.get(productId) ?? null)),
  };
}

/** Line items in the order the rep arranged them, association order for the rest. */
export function byPositionOnDeal(a: CrmObject, b: CrmObject): number {
  const position = (object: CrmObject) => {
    const value = propertyOf(object, LINE_ITEM_PROPERTIES.position);
    return value !== null && /^-?\d+$/.test(value) ? Number(value) : Number.MAX_SAFE_INTEGER;
  };
  return position(a) - position(b);
}

export interface DealForInvoicing {
  readonly deal: CrmDeal;
  /** The deal's primary company, else its first associated one. */
  readonly companyId: string | null;
  readonly lineItems: readonly DealLineItem[];
}

// ---------------------------------------------------------------- contacts and owners

export const CONTACT_PROPERTIES = {
  firstName: "firstname",
  lastName: "lastname",
  email: "email",
  phone: "phone",
  mobilePhone: "mobilephone",
  jobTitle: "jobtitle",
} as const;

export interface CrmContact {
  readonly id: string;
  readonly name: string | null;
  readonly email: string | null;
  readonly phone: string | null;
  readonly jobTitle: string | null;
}

export function toCrmContact(object: CrmObject): CrmContact {
  const p = CONTACT_PROPERTIES;
  return {
    id: object.id,
    name: fullName(propertyOf(object, p.firstName), propertyOf(object, p.lastName)),
    email: propertyOf(object, p.email),
    phone: propertyOf(object, p.phone) ?? propertyOf(object, p.mobilePhone),
    jobTitle: propertyOf(object, p.jobTitle),
  };
}

export function fullName(first: string | null | undefined, last: string | null | undefined) {
  const name = [first, last]
    .map((part) => part?.trim() ?? "")
    .filter((part) => part !== "")
    .join(" ");
  return name === "" ? null : name;
}

export const ownerSchema = z.object({
  id: z.string().min(1),
  firstName: z.string().nullish(),
  lastName: z.string().nullish(),
  email: z.string().nullish(),
  phone: z.string().nullish(),
});

export interface CrmOwner {
  readonly id: string;
  readonly name: string | null;
  readonly email: string | null;
  readonly phone: string | null;
}

export function toCrmOwner(owner: z.infer<typeof ownerSchema>): CrmOwner {
  return {
    id: owner.id,
    name: fullName(owner.firstName, owner.lastName),
    email: owner.email?.trim() || null,
    phone: owner.phone?.trim() || null,
  };
}

// ---------------------------------------------------------------- search and writes

export interface CompanySearchResult {
  readonly id: string;
  readonly name: string | null;
  readonly domain: string | null;
  readonly siren: string | null;
}

export interface CreatedEngagement {
  readonly id: string;
  /** Where the rep sees it: the company record, whose timeline lists the task or note. */
  readonly url: string;
}

/** One record's new property values; "" clears a property. */
export interface PropertyUpdate {
  readonly id: string;
  readonly properties: Readonly<Record<string, string>>;
}

export interface BatchUpdateResult {
  readonly calls: number;
  readonly updated: number;
  /** Records HubSpot refused (deleted meanwhile, invalid value): ids only. */
  readonly failedIds: readonly string[];
}

// ---------------------------------------------------------------- record links

/** HubSpot's object type ids, as they appear in record URLs. */
export const OBJECT_TYPE_IDS = {
  contacts: "0-1",
  companies: "0-2",
  deals: "0-3",
} as const;

export type RecordObjectType = keyof typeof OBJECT_TYPE_IDS;

/** https://app.hubspot.com/contacts/{portalId}/record/{objectTypeId}/{id} */
export function recordUrl(
  appUrl: string,
  portalId: string,
  objectType: RecordObjectType,
  id: string,
): string {
  const base = appUrl.replace(/\/+$/, "");
  return `${base}/contacts/${encodeURIComponent(portalId)}/record/${OBJECT_TYPE_IDS[objectType]}/${encodeURIComponent(id)}`;
}

const parisWallClock = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/Paris",
  hourCycle: "h23",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
});

/**
 * The instant of `hour`:00 in Paris on a calendar date: a task due "2026-12-01" is due that
 * morning for the rep, not at midnight UTC (which HubSpot would show as the evening before).
 */
export function parisInstantAt(date: CalendarDate, hour: number): string {
  const [year = 0, month = 1, day = 1] = date.split("-").map(Number);
  const guess = Date.UTC(year, month - 1, day, hour);
  const parts = parisWallClock.formatToParts(new Date(guess));
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? "0");
  const wall = Date.UTC(part("year"), part("month") - 1, part("day"), part("hour"), part("minute"));
  return new Date(guess - (wall - guess)).toISOString();
}
