/**
 * Authenticates the browser extension: `Authorization: Bearer <token>` from pairing, checked
 * against the stored hash. The tenant and the user are those the token was issued to, never
 * a value the caller sends; a revoked token, or one of an account that uninstalled Encaisse,
 * is refused with EXTENSION_TOKEN_INVALID (the panel then shows "signed out"). Each token has
 * a call budget; beyond it the answer is a 429 with `retry-after`.
 */
import type { MiddlewareHandler } from "hono";
import { DomainError } from "@encaisse/shared";
import type { ErrorBody } from "@encaisse/shared/contracts";
import type { CallBudget } from "../services/extension/request-budget";
import type { Tenant, VerifiedToken } from "../store";

export interface ExtensionCaller {
  readonly tokenId: string;
  readonly tenant: Tenant;
  readonly hubspotUserId: string;
}

export type ExtensionAuthVariables = { extensionCaller: ExtensionCaller };

export interface ExtensionAuthOptions {
  readonly tokens: {
    verify(token: string): Promise<VerifiedToken | null>;
    touch(tenantId: string, tokenId: string): Promise<void>;
  };
  /** The installed tenant, or a TENANT_NOT_INSTALLED error. */
  readonly tenant: (tenantId: string) => Promise<Tenant>;
  readonly budget: CallBudget;
}

/** `ext_` and 43 base64url characters; anything else is not worth a database lookup. */
const TOKEN_SHAPE = /^ext_[A-Za-z0-9_-]{43}$/;

function invalidToken(): DomainError {
  return new DomainError(
    "EXTENSION_TOKEN_INVALID",
    "This extension is not paired, or its pairing was revoked: pair it again from the Encaisse settings in HubSpot.",
  );
}

export function bearerTokenOf(header: string | undefined): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  const token = match?.[1];
  return token !== undefined && TOKEN_SHAPE.test(token) ? token : null;
}

export function extensionAuthenticated(
  options: ExtensionAuthOptions,
): MiddlewareHandler<{ Variables: ExtensionAuthVariables }> {
  return async (c, next) => {
    if (c.req.method === "OPTIONS") return next();
    const token = bearerTokenOf(c.req.header("authorization"));
    if (token === null) throw invalidToken();
    const verified = await options.tokens.verify(token);
    if (verified === null) throw invalidToken();
    let tenant: Tenant;
    try {
      tenant = await options.tenant(verified.tenantId);
    } catch (error) {
      if (error instanceof DomainError && error.code === "TENANT_NOT_INSTALLED")
        throw invalidToken();
      throw error;
    }

    const decision = await options.budget.take(verified.tokenId);
    if (!decision.allowed) {
      const retryAfterSeconds = Math.ceil(decision.retryAfterMs / 1000);
      const body: ErrorBody = {
        error: {
          code: "RATE_LIMITED",
          message: `Too many requests from this extension; try again in ${retryAfterSeconds} s.`,
          details: { retryAfterSeconds },
        },
      };
      return c.json(body, 429, { "retry-after": String(retryAfterSeconds) });
    }

    await options.tokens.touch(verified.tenantId, verified.tokenId);
    c.set("extensionCaller", {
      tokenId: verified.tokenId,
      tenant,
      hubspotUserId: verified.hubspotUserId,
    });
    await next();
  };
}
