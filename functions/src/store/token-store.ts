/**
 * The `TokenStore` an `OAuthSession` refreshes through, backed by the encrypted credentials
 * table. The refresh lock is the store's advisory lock, so two workers (or two serverless
 * instances) never spend the same rotating refresh token twice.
 */
import type { OAuthTokens, TokenStore } from "../net/oauth-session";
import type { CredentialKind, CredentialRepository } from "./credentials";
import type { Store } from "./open";

export class StoredTokenStore implements TokenStore {
  constructor(
    private readonly store: Pick<Store, "withAdvisoryLock">,
    private readonly credentials: CredentialRepository,
    private readonly tenantId: string,
    private readonly kind: CredentialKind,
  ) {}

  /** Null when not connected, or connected with an API token (nothing to refresh). */
  async load(): Promise<OAuthTokens | null> {
    const secret = await this.credentials.load(this.tenantId, this.kind);
    return secret?.method === "oauth" ? secret.tokens : null;
  }

  async save(tokens: OAuthTokens): Promise<void> {
    await this.credentials.save(this.tenantId, this.kind, { method: "oauth", tokens });
  }

  withRefreshLock<T>(operation: () => Promise<T>): Promise<T> {
    return this.store.withAdvisoryLock(`oauth-refresh:${this.tenantId}:${this.kind}`, operation);
  }
}
