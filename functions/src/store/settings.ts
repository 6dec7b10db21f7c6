/**
 * A tenant's settings: the defaults of a new install, and a forgiving reader so that a
 * field stored by an older version (or missing since a field was added) falls back to its
 * default instead of breaking every card view of that tenant.
 */
import { DEFAULT_DUNNING_LADDER } from "@encaisse/shared";
import { type Settings, settingsSchema } from "@encaisse/shared/contracts";

export const DEFAULT_SETTINGS: Settings = settingsSchema.parse({
  invoiceMode: "draft",
  autoInvoiceOnDealWon: false,
  wonStageIds: ["closedwon"],
  dunningLadder: DEFAULT_DUNNING_LADDER,
  dunningByEmail: false,
  amountsVisibleToTeamIds: null,
  defaultVatCode: "FR_200",
  defaultPaymentTerms: "30_days",
  endOfMonthConvention: "days_then_end_of_month",
  freshnessWindowSeconds: 300,
  digestEnabled: false,
});

/** Each stored field is checked on its own; an invalid or missing one takes its default. */
export function readSettings(stored: unknown): Settings {
  const whole = settingsSchema.safeParse(stored);
  if (whole.success) return whole.data;
  const record: Record<string, unknown> =
    typeof stored === "object" && stored !== null ? (stored as Record<string, unknown>) : {};
  const fields = Object.entries(settingsSchema.shape).map(([name, schema]) => {
    const field = schema.safeParse(record[name]);
    return [name, field.success ? field.data : DEFAULT_SETTINGS[name as keyof Settings]];
  });
  return settingsSchema.parse(Object.fromEntries(fields));
}
