/**
 * Connection secrets (OAuth token pairs or API tokens), encrypted per row: the database
 * only ever holds ciphertext bound to its (tenant, kind), see crypto.ts.
 */
import { and, asc, eq } from "drizzle-orm";
import { z } from "zod";
import { DomainError } from "@encaisse/shared";
import { type Clock, systemClock } from "../net/clock";
import type { OAuthTokens } from "../net/oauth-session";
import type { CredentialCipher } from "./crypto";
import type { StoreDb } from "./open";
import { type CREDENTIAL_KINDS, type CREDENTIAL_METHODS, credentials } from "./schema";

export type CredentialKind = (typeof CREDENTIAL_KINDS)[number];
export type CredentialMethod = (typeof CREDENTIAL_METHODS)[number];

const oauthTokensSchema = z.object({
  accessToken: z.string().min(1),
  refreshToken: z.string().min(1),
  expiresAt: z.number().int(),
  scope: z.string().nullable(),
});

const secretSchema = z.discriminatedUnion("method", [
  z.object({ method: z.literal("oauth"), tokens: oauthTokensSchema }),
  z.object({ method: z.literal("api_token"), token: z.string().min(1) }),
]);

export type CredentialSecret =
  | { readonly method: "oauth"; readonly tokens: OAuthTokens }
  | { readonly method: "api_token"; readonly token: string };

/** What may be shown about a connection: never the secret. */
export interface CredentialSummary {
  readonly kind: CredentialKind;
  readonly method: CredentialMethod;
  readonly accessExpiresAt: Date | null;
  readonly updatedAt: Date;
}

export class CredentialRepository {
  constructor(
    private readonly db: StoreDb,
    private readonly cipher: CredentialCipher,
    private readonly clock: Clock = systemClock,
  ) {}

  async save(tenantId: string, kind: CredentialKind, secret: CredentialSecret): Promise<void> {
    const ciphertext = this.cipher.encrypt(JSON.stringify(secret), { tenantId, kind });
    const accessExpiresAt = secret.method === "oauth" ? new Date(secret.tokens.expiresAt) : null;
    const updatedAt = new Date(this.clock.now());
    await this.db
      .insert(credentials)
      .values({ tenantId, kind, method: secret.method, ciphertext, accessExpiresAt, updatedAt })
      .onConflictDoUpdate({
        target: [credentials.tenantId, credentials.kind],
        set: { method: secret.method, ciphertext, accessExpiresAt, updatedAt },
      });
  }

  /** Null when not connected; CREDENTIALS_UNREADABLE when the ciphertext does not decrypt. */
  async load(tenantId: string, kind: CredentialKind): Promise<CredentialSecret | null> {
    const [row] = await this.db
      .select({ ciphertext: credentials.ciphertext })
      .from(credentials)
      .where(and(eq(credentials.tenantId, tenantId), eq(credentials.kind, kind)));
    if (!row) return null;
    const plaintext = this.cipher.decrypt(row.ciphertext, { tenantId, kind });
    let json: unknown;
    try {
      json = JSON.parse(plaintext);
    } catch {
      json = null;
    }
    const secret = secretSchema.safeParse(json);
    if (!secret.success) {
      throw new DomainError(
        "CREDENTIALS_UNREADABLE",
        "Stored credentials are not in a known shape; reconnect the account in Settings.",
        { reason: "shape", tenantId, kind },
      );
    }
    if (this.cipher.needsRotation(row.ciphertext))
      await this.reseal(tenantId, kind, row.ciphertext);
    return secret.data;
  }

  /** True when there was something to delete. */
  async delete(tenantId: string, kind: CredentialKind): Promise<boolean> {
    const deleted = await this.db
      .delete(credentials)
      .where(and(eq(credentials.tenantId, tenantId), eq(credentials.kind, kind)))
      .returning({ kind: credentials.kind });
    return deleted.length > 0;
  }

  async list(tenantId: string): Promise<CredentialSummary[]> {
    return this.db
      .select({
        kind: credentials.kind,
        method: credentials.method,
        accessExpiresAt: credentials.accessExpiresAt,
        updatedAt: credentials.updatedAt,
      })
      .from(credentials)
      .where(eq(credentials.tenantId, tenantId))
      .orderBy(asc(credentials.kind));
  }

  /** After a key rotation: re-encrypt with the current key, unless someone changed the row meanwhile. */
  private async reseal(tenantId: string, kind: CredentialKind, ciphertext: string): Promise<void> {
    const plaintext = this.cipher.decrypt(ciphertext, { tenantId, kind });
    await this.db
      .update(credentials)
      .set({ ciphertext: this.cipher.encrypt(plaintext, { tenantId, kind }) })
      .where(
        and(
          eq(credentials.tenantId, tenantId),
          eq(credentials.kind, kind),
          eq(credentials.ciphertext, ciphertext),
        ),
      );
  }
}
