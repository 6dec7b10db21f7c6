/**
 * Browser-extension access: a signed-in HubSpot user asks for a short pairing code, types it
 * in the extension, and the extension receives a long-lived token. Only SHA-256 hashes of
 * codes and tokens are stored; the token is shown once, at pairing.
 *
 * `verify` and `consumePairingCode` take no tenant id: the secret itself says whose it is.
 */
import { randomBytes, randomInt, randomUUID } from "node:crypto";
import { and, desc, eq, gt, isNull, lt, or } from "drizzle-orm";
import { type Clock, systemClock } from "../net/clock";
import { sha256Hex } from "./crypto";
import type { StoreDb } from "./open";
import { extensionTokens, pairingCodes } from "./schema";

export interface ExtensionUser {
  readonly tenantId: string;
  readonly hubspotUserId: string;
  readonly userEmail: string | null;
}

export interface VerifiedToken extends ExtensionUser {
  readonly tokenId: string;
}

export interface ExtensionTokenSummary {
  readonly id: string;
  readonly hubspotUserId: string;
  readonly userEmail: string | null;
  readonly createdAt: Date;
  readonly lastUsedAt: Date | null;
}

/** No 0/O or 1/I: the code is read on one screen and typed on another. */
const CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
const CODE_LENGTH = 8;
const DEFAULT_CODE_TTL_MS = 10 * 60_000;
/** Last-used times are approximate: at most one write per token per minute. */
const TOUCH_INTERVAL_MS = 60_000;

function newPairingCode(): string {
  return Array.from(
    { length: CODE_LENGTH },
    () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)],
  ).join("");
}

function normalizeCode(code: string): string {
  return code.trim().toUpperCase();
}

export class ExtensionTokenRepository {
  constructor(
    private readonly db: StoreDb,
    private readonly clock: Clock = systemClock,
  ) {}

  /** A new code for this user; the user's earlier unused codes stop working. */
  async createPairingCode(
    user: ExtensionUser,
    ttlMs: number = DEFAULT_CODE_TTL_MS,
  ): Promise<{ code: string; expiresAt: Date }> {
    const now = this.clock.now();
    const code = newPairingCode();
    const expiresAt = new Date(now + ttlMs);
    await this.db.transaction(async (tx) => {
      await tx
        .delete(pairingCodes)
        .where(
          and(
            eq(pairingCodes.tenantId, user.tenantId),
            or(
              eq(pairingCodes.hubspotUserId, user.hubspotUserId),
              lt(pairingCodes.expiresAt, new Date(now)),
            ),
          ),
        );
      await tx.insert(pairingCodes).values({
        codeHash: sha256Hex(code),
        tenantId: user.tenantId,
        hubspotUserId: user.hubspotUserId,
        userEmail: user.userEmail,
        expiresAt,
      });
    });
    return { code, expiresAt };
  }

  /** The code's user if it is valid, unexpired and unused; it is then used. Null otherwise. */
  async consumePairingCode(code: string): Promise<ExtensionUser | null> {
    const now = new Date(this.clock.now());
    const [row] = await this.db
      .update(pairingCodes)
      .set({ usedAt: now })
      .where(
        and(
          eq(pairingCodes.codeHash, sha256Hex(normalizeCode(code))),
          isNull(pairingCodes.usedAt),
          gt(pairingCodes.expiresAt, now),
        ),
      )
      .returning({
        tenantId: pairingCodes.tenantId,
        hubspotUserId: pairingCodes.hubspotUserId,
        userEmail: pairingCodes.userEmail,
      });
    return row ?? null;
  }

  /** Consumes the code and issues the token in one transaction; null if the code is not valid. */
  async pair(code: string): Promise<{ token: string; user: ExtensionUser } | null> {
    return this.db.transaction(async (tx) => {
      const repository = new ExtensionTokenRepository(tx, this.clock);
      const user = await repository.consumePairingCode(code);
      if (!user) return null;
      const { token } = await repository.create(user);
      return { token, user };
    });
  }

  /** Issues a token; the raw value is returned here and never again. */
  async create(user: ExtensionUser): Promise<{ id: string; token: string }> {
    const id = randomUUID();
    const token = `ext_${randomBytes(32).toString("base64url")}`;
    await this.db.insert(extensionTokens).values({
      id,
      tenantId: user.tenantId,
      hubspotUserId: user.hubspotUserId,
      userEmail: user.userEmail,
      tokenHash: sha256Hex(token),
      createdAt: new Date(this.clock.now()),
    });
    return { id, token };
  }

  /** The token's user, or null when unknown or revoked. */
  async verify(token: string): Promise<VerifiedToken | null> {
    const [row] = await this.db
      .select({
        tokenId: extensionTokens.id,
        tenantId: extensionTokens.tenantId,
        hubspotUserId: extensionTokens.hubspotUserId,
        userEmail: extensionTokens.userEmail,
      })
      .from(extensionTokens)
      .where(
        and(eq(extensionTokens.tokenHash, sha256Hex(token)), isNull(extensionTokens.revokedAt)),
      );
    return row ?? null;
  }

  async touch(tenantId: string, tokenId: string): Promise<void> {
    const now = this.clock.now();
    await this.db
      .update(extensionTokens)
      .set({ lastUsedAt: new Date(now) })
      .where(
        and(
          eq(extensionTokens.tenantId, tenantId),
          eq(extensionTokens.id, tokenId),
          or(
            isNull(extensionTokens.lastUsedAt),
            lt(extensionTokens.lastUsedAt, new Date(now - TOUCH_INTERVAL_MS)),
          ),
        ),
      );
  }

  /** True when an active token was revoked. */
  async revoke(tenantId: string, tokenId: string): Promise<boolean> {
    const revoked = await this.db
      .update(extensionTokens)
      .set({ revokedAt: new Date(this.clock.now()) })
      .where(
        and(
          eq(extensionTokens.tenantId, tenantId),
          eq(extensionTokens.id, tokenId),
          isNull(extensionTokens.revokedAt),
        ),
      )
      .returning({ id: extensionTokens.id });
    return revoked.length > 0;
  }

  /** Active tokens of the tenant, newest first. */
  async list(tenantId: string): Promise<ExtensionTokenSummary[]> {
    return this.db
      .select({
        id: extensionTokens.id,
        hubspotUserId: extensionTokens.hubspotUserId,
        userEmail: extensionTokens.userEmail,
        createdAt: extensionTokens.createdAt,
        lastUsedAt: extensionTokens.lastUsedAt,
      })
      .from(extensionTokens)
      .where(and(eq(extensionTokens.tenantId, tenantId), isNull(extensionTokens.revokedAt)))
      .orderBy(desc(extensionTokens.createdAt), desc(extensionTokens.id));
  }
}
