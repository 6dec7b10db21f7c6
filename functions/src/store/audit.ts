/**
 * The audit log: who did what to which object, per tenant, newest first.
 *
 * Details must hold neither secrets nor personal data; as a second line of defence, keys
 * that name a secret or an email are dropped and email addresses inside values are masked
 * before anything is written.
 */
import { and, desc, eq, lt, or } from "drizzle-orm";
import { type Clock, systemClock } from "../net/clock";
import type { StoreDb } from "./open";
import { auditLog } from "./schema";

export interface AuditEntry {
  /** HubSpot user id; null for system jobs. */
  readonly actor: string | null;
  /** e.g. `invoice.created`, `settings.updated`, `customer.linked`, `connection.connected`. */
  readonly action: string;
  readonly objectType: string;
  readonly objectId: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

export interface StoredAuditEntry extends AuditEntry {
  readonly id: number;
  readonly at: Date;
  readonly details: Readonly<Record<string, unknown>>;
}

export interface AuditPage {
  readonly entries: StoredAuditEntry[];
  /** Pass back as `before` for the next (older) page; null on the last page. */
  readonly nextCursor: string | null;
}

const SENSITIVE_KEY = /token|secret|password|authorization|cookie|credential|e-?mail/i;
const EMAIL = /[^\s@<>"']+@[^\s@<>"']+\.[^\s@<>"']+/g;
export const REDACTED = "[redacted]";

/** Drops secret- or email-named keys and masks email addresses, at any depth. */
export function redactDetails(value: unknown): unknown {
  if (typeof value === "string") return value.replace(EMAIL, REDACTED);
  if (Array.isArray(value)) return value.map(redactDetails);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [
        key,
        SENSITIVE_KEY.test(key) ? REDACTED : redactDetails(inner),
      ]),
    );
  }
  return value;
}

function encodeCursor(entry: { at: Date; id: number }): string {
  return `${entry.at.getTime()}.${entry.id}`;
}

function decodeCursor(cursor: string): { at: Date; id: number } | null {
  const match = /^(\d+)\.(\d+)$/.exec(cursor);
  return match ? { at: new Date(Number(match[1])), id: Number(match[2]) } : null;
}

export class AuditRepository {
  constructor(
    private readonly db: StoreDb,
    private readonly clock: Clock = systemClock,
  ) {}

  async append(tenantId: string, entry: AuditEntry): Promise<StoredAuditEntry> {
    const [row] = await this.db
      .insert(auditLog)
      .values({
        tenantId,
        at: new Date(this.clock.now()),
        actor: entry.actor,
        action: entry.action,
        objectType: entry.objectType,
        objectId: entry.objectId,
        details: redactDetails(entry.details ?? {}) as Record<string, unknown>,
      })
      .returning();
    if (!row) throw new Error("Appending to the audit log returned no row.");
    return row;
  }

  async list(
    tenantId: string,
    options: { limit?: number; before?: string | null } = {},
  ): Promise<AuditPage> {
    const limit = Math.min(200, Math.max(1, options.limit ?? 50));
    const before = options.before ? decodeCursor(options.before) : null;
    const rows = await this.db
      .select()
      .from(auditLog)
      .where(
        and(
          eq(auditLog.tenantId, tenantId),
          before
            ? or(
                lt(auditLog.at, before.at),
                and(eq(auditLog.at, before.at), lt(auditLog.id, before.id)),
              )
            : undefined,
        ),
      )
      .orderBy(desc(auditLog.at), desc(auditLog.id))
      .limit(limit + 1);
    const entries = rows.slice(0, limit);
    const last = entries.at(-1);
    return {
      entries,
      nextCursor: rows.length > limit && last ? encodeCursor(last) : null,
    };
  }
}
