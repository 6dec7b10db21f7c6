/** The backend's state: see README.md. */
import { type Clock, systemClock } from "../net/clock";
import { AuditRepository } from "./audit";
import { type CredentialKind, CredentialRepository } from "./credentials";
import type { CredentialCipher } from "./crypto";
import { CursorRepository } from "./cursors";
import { CustomerLinkRepository } from "./customer-links";
import { DunningRepository } from "./dunning";
import { ExtensionTokenRepository } from "./extension-tokens";
import { IdempotencyRepository } from "./idempotency";
import type { Store } from "./open";
import { PropertyValueRepository } from "./property-values";
import { ReadModelRepository } from "./read-model";
import { TenantRepository } from "./tenants";
import { StoredTokenStore } from "./token-store";
import { SeenSignatureRepository, WebhookEventRepository } from "./webhook-events";

export * from "./audit";
export * from "./credentials";
export * from "./crypto";
export * from "./cursors";
export * from "./customer-links";
export * from "./dunning";
export * from "./extension-tokens";
export * from "./idempotency";
export * from "./open";
export * from "./property-values";
export * from "./read-model";
export * from "./settings";
export * from "./tenants";
export * from "./token-store";
export * from "./webhook-events";

export interface Repositories {
  readonly tenants: TenantRepository;
  readonly credentials: CredentialRepository;
  readonly customerLinks: CustomerLinkRepository;
  readonly readModel: ReadModelRepository;
  readonly idempotency: IdempotencyRepository;
  readonly audit: AuditRepository;
  readonly cursors: CursorRepository;
  readonly dunning: DunningRepository;
  readonly extensionTokens: ExtensionTokenRepository;
  readonly webhookEvents: WebhookEventRepository;
  readonly seenSignatures: SeenSignatureRepository;
  readonly propertyValues: PropertyValueRepository;
  /** The OAuth token store of one connection, for an `OAuthSession`. */
  tokenStore(tenantId: string, kind: CredentialKind): StoredTokenStore;
}

export function createRepositories(
  store: Store,
  options: { cipher: CredentialCipher; clock?: Clock },
): Repositories {
  const { db } = store;
  const clock = options.clock ?? systemClock;
  const credentials = new CredentialRepository(db, options.cipher, clock);
  return {
    tenants: new TenantRepository(db, clock),
    credentials,
    customerLinks: new CustomerLinkRepository(db, clock),
    readModel: new ReadModelRepository(db, clock),
    idempotency: new IdempotencyRepository(db, clock),
    audit: new AuditRepository(db, clock),
    cursors: new CursorRepository(db, clock),
    dunning: new DunningRepository(db),
    extensionTokens: new ExtensionTokenRepository(db, clock),
    webhookEvents: new WebhookEventRepository(db, clock),
    seenSignatures: new SeenSignatureRepository(db, clock),
    propertyValues: new PropertyValueRepository(db, clock),
    tokenStore: (tenantId, kind) => new StoredTokenStore(store, credentials, tenantId, kind),
  };
}
