/**
 * The dunning runner: once a day per tenant, each late invoice gets the next step of the
 * tenant's plan (shared `nextDunningStep`), done once and only once, then the owners get
 * their morning digest.
 *
 * Why a crash can neither repeat nor lose a step: the step is recorded first (a unique row
 * per invoice and step; a second recording is refused), then done (task or email), then the
 * task id is attached to the record. A run that dies after recording leaves a record without
 * a task; the next run, for the same day or a later one, finishes exactly those before
 * deciding anything new. Runs of one tenant never overlap (advisory lock), so a record
 * without a task is always an interrupted one, never one being worked on. The one window
 * left is between HubSpot creating the task and our write of its id: a crash there makes a
 * second task for the same step, never a missed one.
 *
 * Invoices come from the read model (kept current by the sync); paid, cancelled, credit
 * notes and drafts are never late. Paused invoices (dispute, promise to pay, set from the
 * card) wait; an invoice whose customer is linked to no HubSpot company is skipped and said
 * so in the report, as nobody could be given the task.
 */
import {
  type CalendarDate,
  type DunningAction,
  type DunningIdleReason,
  type Invoice,
  type Provider,
  activeDunningPause,
  assertCalendarDate,
  daysBetween,
  nextDunningStep,
} from "@encaisse/shared";
import type { Backend } from "../backend";
import { HubSpotError } from "../hubspot/errors";
import type { HubSpotCrm } from "../hubspot/crm";
import type { DoneStep, Tenant } from "../store";
import { type DigestSent, sendDunningDigests } from "./digest";
import type { DigestLine } from "./digest-text";
import { type ReminderTarget, SENT_BY_EMAIL, doReminder } from "./dunning-reminder";

export type DunningSkipReason =
  /** The invoice's customer is linked to no HubSpot company: nobody to give the task to. */
  | "no_linked_company"
  /** The linked company no longer exists in HubSpot (deleted or merged). */
  | "company_not_in_hubspot";

export interface DunningReminder {
  readonly invoiceId: string;
  readonly invoiceNumber: string | null;
  readonly companyId: string;
  readonly ownerId: string | null;
  readonly stepId: string;
  readonly action: DunningAction;
  readonly daysLate: number;
  readonly channel: "task" | "email";
  /** The HubSpot task made for the step; null when the accounting software emailed it. */
  readonly taskId: string | null;
  readonly interestCents: number | null;
  readonly indemnityCents: number | null;
  /** True when this run finished a step an interrupted run had recorded. */
  readonly resumed: boolean;
  /** Why the email could not be sent (a task was made instead). */
  readonly emailRefusedCode: string | null;
}

export interface DunningReport {
  readonly tenantId: string;
  readonly day: CalendarDate;
  readonly outcome: "done" | "tenant_not_installed" | "provider_not_connected";
  readonly overdueInvoices: number;
  /** Steps done by this run. */
  readonly reminders: readonly DunningReminder[];
  /** Late invoices with nothing to do today, by reason (paused, next step not due…). */
  readonly idle: Readonly<Partial<Record<DunningIdleReason, number>>>;
  readonly skipped: readonly { readonly invoiceId: string; readonly reason: DunningSkipReason }[];
  readonly digests: readonly DigestSent[];
}

export async function runDunning(
  backend: Backend,
  tenantId: string,
  day: string,
): Promise<DunningReport> {
  const today = assertCalendarDate(day);
  const tenant = await backend.repos.tenants.get(tenantId);
  if (tenant === null || tenant.uninstalledAt)
    return nothingDone(tenantId, today, "tenant_not_installed");
  const provider = tenant.activeProvider;
  if (provider === null) return nothingDone(tenantId, today, "provider_not_connected");
  return backend.store.withAdvisoryLock(`dunning:${tenantId}`, () =>
    runLocked(backend, tenant, provider, today),
  );
}

async function runLocked(
  backend: Backend,
  tenant: Tenant,
  provider: Provider,
  day: CalendarDate,
): Promise<DunningReport> {
  const { repos } = backend;
  const { tenantId, settings } = tenant;
  const ladder = settings.dunningLadder;
  const locale = settings.dunningLocale ?? "fr";
  const invoices = await repos.readModel.overdueInvoices(tenantId, provider, day);
  const ids = invoices.map((invoice) => invoice.id);
  const [history, pauses] = await Promise.all([
    repos.dunning.history(tenantId, provider, ids),
    repos.dunning.pauses(tenantId, provider, ids),
  ]);
  const crm = backend.crm(tenantId);
  const targets = new TargetResolver(backend, crm, tenantId, provider);
  const emailer = settings.dunningByEmail ? await backend.provider(tenant) : null;

  const reminders: DunningReminder[] = [];
  const idle: Partial<Record<DunningIdleReason, number>> = {};
  const skipped: { invoiceId: string; reason: DunningSkipReason }[] = [];

  for (const invoice of invoices) {
    const done = history.get(invoice.id) ?? [];
    const invoicePauses = pauses.get(invoice.id) ?? [];
    const interrupted = done.filter((entry) => entry.hubspotTaskId === null);
    const decision = nextDunningStep({
      invoice,
      history: done,
      pauses: invoicePauses,
      today: day,
      ladder,
    });
    if (decision.kind === "none" && interrupted.length === 0) {
      idle[decision.reason] = (idle[decision.reason] ?? 0) + 1;
      continue;
    }
    // An interrupted step waits out a pause too: no reminder while the customer disputes.
    if (activeDunningPause(invoicePauses, day) !== null) {
      const reason = decision.kind === "none" ? decision.reason : "paused_dispute";
      idle[reason] = (idle[reason] ?? 0) + 1;
      continue;
    }
    const target = await targets.of(invoice);
    if (typeof target === "string") {
      skipped.push({ invoiceId: invoice.id, reason: target });
      continue;
    }
    const act = async (stepId: string, resumed: boolean) => {
      const step = ladder.find((candidate) => candidate.id === stepId);
      if (!step) return;
      const daysLate = daysBetween(invoice.dueDate, day);
      const outcome = await doReminder(crm, {
        invoice,
        step,
        daysLate,
        day,
        target,
        locale,
        emailer,
      });
      await repos.dunning.attachTask(tenantId, provider, invoice.id, step.id, outcome.reference);
      reminders.push({
        invoiceId: invoice.id,
        invoiceNumber: invoice.number,
        companyId: target.companyId,
        ownerId: target.ownerId,
        stepId: step.id,
        action: step.action,
        daysLate,
        channel: outcome.channel,
        taskId: outcome.channel === "task" ? outcome.reference : null,
        interestCents: outcome.penalties?.interestCents ?? null,
        indemnityCents: outcome.penalties?.indemnityCents ?? null,
        resumed,
        emailRefusedCode: outcome.emailRefusedCode,
      });
    };
    for (const entry of interrupted) await act(entry.stepId, true);
    if (decision.kind !== "due") continue;
    const recorded = await repos.dunning.recordAction(tenantId, {
      provider,
      invoiceId: invoice.id,
      stepId: decision.step.id,
      doneOn: day,
    });
    if (recorded) await act(decision.step.id, false);
  }

  const digests = settings.digestEnabled
    ? await sendDunningDigests(backend, crm, {
        tenantId,
        day,
        locale,
        linesByOwner: await digestLines(backend, targets, { tenant, provider, day, invoices }),
      })
    : [];

  if (reminders.length > 0 || skipped.length > 0) {
    await repos.audit.append(tenantId, {
      actor: null,
      action: "dunning.ran",
      objectType: "tenant",
      objectId: tenantId,
      details: {
        day,
        provider,
        tasks: reminders.filter((reminder) => reminder.channel === "task").length,
        emails: reminders.filter((reminder) => reminder.channel === "email").length,
        resumed: reminders.filter((reminder) => reminder.resumed).length,
        skipped: skipped.length,
        digests: digests.length,
      },
    });
  }
  return {
    tenantId,
    day,
    outcome: "done",
    overdueInvoices: invoices.length,
    reminders,
    idle,
    skipped,
    digests,
  };
}

/**
 * Every reminder done today (by this run or an earlier one), grouped by the owner of the
 * company: the digest is the same whichever run sends it.
 */
async function digestLines(
  backend: Backend,
  targets: TargetResolver,
  input: {
    readonly tenant: Tenant;
    readonly provider: Provider;
    readonly day: CalendarDate;
    readonly invoices: readonly Invoice[];
  },
): Promise<Map<string, DigestLine[]>> {
  const { tenant, provider, day, invoices } = input;
  const ladder = tenant.settings.dunningLadder;
  const history = await backend.repos.dunning.history(
    tenant.tenantId,
    provider,
    invoices.map((invoice) => invoice.id),
  );
  const byOwner = new Map<string, DigestLine[]>();
  for (const invoice of invoices) {
    const doneToday = (history.get(invoice.id) ?? []).filter(
      (entry: DoneStep) => entry.doneOn === day && entry.hubspotTaskId !== null,
    );
    if (doneToday.length === 0) continue;
    const target = await targets.of(invoice);
    if (typeof target === "string" || target.ownerId === null) continue;
    for (const entry of doneToday) {
      const step = ladder.find((candidate) => candidate.id === entry.stepId);
      if (!step) continue;
      const lines = byOwner.get(target.ownerId) ?? [];
      lines.push({
        action: step.action,
        sentByEmail: entry.hubspotTaskId === SENT_BY_EMAIL,
        invoiceNumber: invoice.number ?? invoice.id,
        customerName: invoice.customerName,
        remainingCents: invoice.remainingCents,
        currency: invoice.currency,
        daysLate: daysBetween(invoice.dueDate, day),
      });
      byOwner.set(target.ownerId, lines);
    }
  }
  return byOwner;
}

/** Who gets an invoice's task: the owner of the HubSpot company linked to its customer. */
class TargetResolver {
  private readonly byCustomer = new Map<string, Promise<ReminderTarget | DunningSkipReason>>();

  constructor(
    private readonly backend: Pick<Backend, "repos">,
    private readonly crm: HubSpotCrm,
    private readonly tenantId: string,
    private readonly provider: Provider,
  ) {}

  of(invoice: Invoice): Promise<ReminderTarget | DunningSkipReason> {
    let target = this.byCustomer.get(invoice.customerId);
    if (!target) {
      target = this.resolve(invoice.customerId);
      this.byCustomer.set(invoice.customerId, target);
    }
    return target;
  }

  private async resolve(customerId: string): Promise<ReminderTarget | DunningSkipReason> {
    const { repos } = this.backend;
    const link = await repos.customerLinks.byCustomer(this.tenantId, this.provider, customerId);
    if (link === null) return "no_linked_company";
    let ownerId: string | null;
    try {
      ownerId = (await this.crm.getCompany(link.companyId)).ownerId;
    } catch (error) {
      if (error instanceof HubSpotError && error.code === "NOT_FOUND") {
        return "company_not_in_hubspot";
      }
      throw error;
    }
    const customer = await repos.readModel.getCustomer(this.tenantId, this.provider, customerId);
    return {
      companyId: link.companyId,
      ownerId,
      isBusinessCustomer: customer?.kind !== "individual",
    };
  }
}

function nothingDone(
  tenantId: string,
  day: CalendarDate,
  outcome: DunningReport["outcome"],
): DunningReport {
  return {
    tenantId,
    day,
    outcome,
    overdueInvoices: 0,
    reminders: [],
    idle: {},
    skipped: [],
    digests: [],
  };
}
