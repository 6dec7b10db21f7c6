/**
 * The `state` of our OAuth redirects: it says which flow started, for which HubSpot portal
 * and user, and until when it is good. It is signed (HMAC-SHA256 with a key derived from
 * the HubSpot client secret), so a callback cannot be pointed at another portal; it
 * expires after 10 minutes; and it works once, remembered in the store for as long as it
 * could still be accepted.
 *
 * Format: `base64url(JSON claims) "." base64url(HMAC)`.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { DomainError } from "@encaisse/shared";
import type { Backend } from "../../backend";
import { SIGNATURE_MEMORY_MS } from "../../store";

export const OAUTH_FLOWS = ["hubspot", "pennylane", "sage_active"] as const;
export type OAuthFlow = (typeof OAUTH_FLOWS)[number];

/** Single use is checked against the store's signature memory, so it must outlive the state. */
export const OAUTH_STATE_TTL_MS = Math.min(10 * 60_000, SIGNATURE_MEMORY_MS);

export interface OAuthStateClaims {
  readonly flow: OAuthFlow;
  /** The HubSpot portal connecting a provider; null while installing (HubSpot tells us). */
  readonly portalId: string | null;
  /** The HubSpot user who started the flow, for the audit log. */
  readonly userId: string | null;
}

export interface VerifiedOAuthState extends OAuthStateClaims {
  readonly nonce: string;
}

const claimsSchema = z.object({
  v: z.literal(1),
  flow: z.enum(OAUTH_FLOWS),
  portalId: z
    .string()
    .regex(/^\d{1,20}$/)
    .nullable(),
  userId: z.string().min(1).max(64).nullable(),
  nonce: z.string().regex(/^[A-Za-z0-9_-]{22}$/),
  exp: z.number().int(),
});

const KEY_PURPOSE = "encaisse:oauth-state:v1";

/** A key of its own for states, so a state can never double as a request signature. */
export function oauthStateKey(hubspotClientSecret: string): Buffer {
  return createHmac("sha256", hubspotClientSecret).update(KEY_PURPOSE).digest();
}

function mac(key: Buffer, encodedClaims: string): Buffer {
  return createHmac("sha256", key).update(encodedClaims).digest();
}

export function signOAuthState(key: Buffer, claims: OAuthStateClaims, nowMs: number): string {
  const payload: z.infer<typeof claimsSchema> = {
    v: 1,
    flow: claims.flow,
    portalId: claims.portalId,
    userId: claims.userId,
    nonce: randomBytes(16).toString("base64url"),
    exp: nowMs + OAUTH_STATE_TTL_MS,
  };
  const encoded = Buffer.from(JSON.stringify(payload), "utf8").toString("base64url");
  return `${encoded}.${mac(key, encoded).toString("base64url")}`;
}

function invalid(reason: string): DomainError {
  return new DomainError(
    "OAUTH_STATE_INVALID",
    "This sign-in link is not valid; start the connection again from HubSpot.",
    { reason },
  );
}

/** Checks signature, flow and expiry (not single use: see `consumeOAuthState`). */
export function verifyOAuthState(
  key: Buffer,
  state: string,
  expectedFlow: OAuthFlow,
  nowMs: number,
): VerifiedOAuthState {
  const match = /^([A-Za-z0-9_-]{1,2048})\.([A-Za-z0-9_-]{43})$/.exec(state);
  if (!match) throw invalid("format");
  const [, encoded = "", signature = ""] = match;
  const given = Buffer.from(signature, "base64url");
  const expected = mac(key, encoded);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw invalid("signature");
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(encoded, "base64url").toString("utf8"));
  } catch {
    throw invalid("payload");
  }
  const claims = claimsSchema.safeParse(json);
  if (!claims.success) throw invalid("payload");
  if (claims.data.flow !== expectedFlow) throw invalid("flow");
  if (claims.data.exp <= nowMs) {
    throw new DomainError(
      "OAUTH_STATE_EXPIRED",
      "This sign-in link has expired (it is valid for 10 minutes); start the connection again from HubSpot.",
    );
  }
  return {
    flow: claims.data.flow,
    portalId: claims.data.portalId,
    userId: claims.data.userId,
    nonce: claims.data.nonce,
  };
}

function backendKey(backend: Backend): Buffer {
  const secret = backend.config.HUBSPOT_CLIENT_SECRET;
  if (!secret) {
    throw new DomainError(
      "CONFIG_INVALID",
      "HUBSPOT_CLIENT_SECRET is needed to sign OAuth states.",
    );
  }
  return oauthStateKey(secret);
}

/** A fresh state for a redirect to HubSpot, Pennylane or Sage. */
export function issueOAuthState(backend: Backend, claims: OAuthStateClaims): string {
  return signOAuthState(backendKey(backend), claims, backend.clock.now());
}

/** Verifies the state of a callback and spends it: a second use is refused. */
export async function consumeOAuthState(
  backend: Backend,
  state: string,
  expectedFlow: OAuthFlow,
): Promise<VerifiedOAuthState> {
  const verified = verifyOAuthState(backendKey(backend), state, expectedFlow, backend.clock.now());
  if (!(await backend.repos.seenSignatures.recordOnce(`oauth-state:${verified.nonce}`))) {
    throw new DomainError(
      "OAUTH_STATE_REUSED",
      "This sign-in link was already used; start the connection again from HubSpot.",
    );
  }
  return verified;
}
