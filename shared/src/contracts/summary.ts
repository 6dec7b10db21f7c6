import { z } from "zod";
import { calendarDateSchema } from "../dates";
import { centsSchema } from "../model";

/** JSON shape of `ReceivablesSummary` (analytics.ts). */
export const receivablesSummarySchema = z.object({
  outstandingCents: centsSchema,
  overdueCents: centsSchema,
  openInvoiceCount: z.number().int().nonnegative(),
  overdueInvoiceCount: z.number().int().nonnegative(),
  oldestOverdueDays: z.number().int().nonnegative(),
  aging: z.object({
    notDueCents: centsSchema,
    days1To30Cents: centsSchema,
    days31To60Cents: centsSchema,
    days61To90Cents: centsSchema,
    over90DaysCents: centsSchema,
  }),
  averagePaymentDelayDays: z.number().nullable(),
  dsoDays: z.number().nullable(),
  atRiskCents: centsSchema,
  atRiskShareBasisPoints: z.number().int().nonnegative(),
  paymentRisk: z.enum(["low", "medium", "high"]),
  lastPaymentDate: calendarDateSchema.nullable(),
  unappliedCreditCents: centsSchema,
});
