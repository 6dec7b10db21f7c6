/**
 * One dunning step, done: a HubSpot task for the company owner, due today, in the tenant's
 * language, naming the invoice, what is still owed, how late it is and, from the steps that
 * cite them, the late-payment interest and the EUR 40 indemnity owed to date; or, for the
 * courteous email when the tenant turned it on and the accounting software can send it,
 * the invoice emailed to the customer by the accounting software itself.
 *
 * Only the courteous email goes out on its own: a call is the rep's to make, and the firm
 * and formal notices must state the penalties, which the provider's invoice email cannot
 * carry. An email the provider refuses (PDF not ready, no address) becomes a task instead,
 * so the step is never lost; a failure that may hide a sent email is not retried either.
 */
import {
  type DunningLocale,
  type DunningStep,
  type Invoice,
  type LatePaymentPenalties,
  computeLatePaymentPenalties,
  dunningTaskText,
} from "@encaisse/shared";
import type { HubSpotCrm } from "../hubspot/crm";
import type { AccountingProvider } from "../providers/provider";

/** Stored in place of a task id for a step the accounting software emailed. */
export const SENT_BY_EMAIL = "email";

export type ReminderChannel = "task" | "email";

export interface ReminderTarget {
  readonly companyId: string;
  /** The company owner; null leaves the task unassigned. */
  readonly ownerId: string | null;
  /** False for an individual: the fixed indemnity is owed by businesses only. */
  readonly isBusinessCustomer: boolean;
}

export interface ReminderInput {
  readonly invoice: Invoice;
  readonly step: DunningStep;
  readonly daysLate: number;
  readonly day: string;
  readonly target: ReminderTarget;
  readonly locale: DunningLocale;
  /** The provider, when the tenant asked for the courteous email to be sent by it. */
  readonly emailer: AccountingProvider | null;
}

export interface ReminderDone {
  readonly channel: ReminderChannel;
  /** The HubSpot task, or SENT_BY_EMAIL. */
  readonly reference: string;
  readonly penalties: Pick<LatePaymentPenalties, "interestCents" | "indemnityCents"> | null;
  /** Why the email was not sent and a task made instead. */
  readonly emailRefusedCode: string | null;
}

export function penaltiesFor(
  invoice: Invoice,
  day: string,
  isBusinessCustomer: boolean,
): LatePaymentPenalties {
  return computeLatePaymentPenalties({
    dueDate: invoice.dueDate,
    grossCents: invoice.grossCents,
    payments: invoice.payments.map((payment) => ({
      date: payment.date,
      amountCents: payment.amountCents,
    })),
    today: day,
    isBusinessCustomer,
  });
}

export async function doReminder(crm: HubSpotCrm, input: ReminderInput): Promise<ReminderDone> {
  const { invoice, step, target } = input;
  let emailRefusedCode: string | null = null;
  const sender = input.emailer?.sendInvoiceByEmail?.bind(input.emailer);
  if (step.action === "courteous_email" && sender) {
    try {
      await sender(invoice.id);
      return {
        channel: "email",
        reference: SENT_BY_EMAIL,
        penalties: null,
        emailRefusedCode: null,
      };
    } catch (error) {
      emailRefusedCode = codeOf(error);
    }
  }
  const penalties = step.citesPenalties
    ? penaltiesFor(invoice, input.day, target.isBusinessCustomer)
    : null;
  const text = dunningTaskText({
    step,
    invoiceNumber: invoice.number ?? invoice.id,
    customerName: invoice.customerName,
    remainingCents: invoice.remainingCents,
    currency: invoice.currency,
    daysLate: input.daysLate,
    penalties,
    locale: input.locale,
  });
  const task = await crm.createTask({
    companyId: target.companyId,
    ownerId: target.ownerId,
    subject: text.subject,
    body: text.body,
    dueDate: input.day,
  });
  return {
    channel: "task",
    reference: task.id,
    penalties: penalties && {
      interestCents: penalties.interestCents,
      indemnityCents: penalties.indemnityCents,
    },
    emailRefusedCode,
  };
}

function codeOf(error: unknown): string {
  if (typeof error === "object" && error !== null && "code" in error) {
    const { code } = error as { code: unknown };
    if (typeof code === "string") return code;
  }
  return "INTERNAL";
}
