/**
 * Authenticates requests from HubSpot (`hubspot.fetch` from cards, webhooks): signature v3
 * over the exact URL and raw body, 5-minute window, replays refused. The tenant is the
 * `portalId` HubSpot put in the signed query string — never a value the caller chooses.
 */
import type { MiddlewareHandler } from "hono";
import { DomainError } from "@encaisse/shared";
import type { Clock } from "../net/clock";
import { verifySignatureV3 } from "../hubspot/signature";

export interface HubSpotCaller {
  readonly portalId: string;
  readonly userId: string | null;
  readonly userEmail: string | null;
  readonly appId: string | null;
}

export interface ReplayGuard {
  /** Records a signature fingerprint; false when it was already seen. */
  recordOnce(fingerprint: string, seenAt: Date): Promise<boolean>;
}

export interface HubSpotAuthOptions {
  readonly clientSecret: string;
  /** The public origin HubSpot calls (behind a proxy the received URL differs). */
  readonly publicBaseUrl: string | null;
  readonly replayGuard: ReplayGuard;
  readonly clock: Clock;
  /** Webhook deliveries carry the portal in the body, not the query. */
  readonly portalFrom?: "query" | "none";
}

export type HubSpotAuthVariables = { hubspotCaller: HubSpotCaller; rawBody: string };

/** The URLs HubSpot may have signed: the public one, and the one we received. */
export function candidateSignedUrls(receivedUrl: string, publicBaseUrl: string | null): string[] {
  const received = new URL(receivedUrl);
  const candidates = new Set<string>();
  if (publicBaseUrl) {
    const base = new URL(publicBaseUrl);
    const basePath = base.pathname.replace(/\/$/, "");
    candidates.add(`${base.origin}${basePath}${received.pathname}${received.search}`);
  }
  candidates.add(receivedUrl);
  return [...candidates];
}

export function hubspotSigned(
  options: HubSpotAuthOptions,
): MiddlewareHandler<{ Variables: HubSpotAuthVariables }> {
  return async (c, next) => {
    const rawBody = c.req.method === "GET" || c.req.method === "HEAD" ? "" : await c.req.text();
    const signature = c.req.header("x-hubspot-signature-v3") ?? null;
    const timestamp = c.req.header("x-hubspot-request-timestamp") ?? null;
    const now = options.clock.now();
    let fingerprint: string | null = null;
    let lastError: unknown = null;
    for (const uri of candidateSignedUrls(c.req.url, options.publicBaseUrl)) {
      try {
        fingerprint = verifySignatureV3(
          { method: c.req.method, uri, rawBody, signature, timestamp },
          options.clientSecret,
          now,
        );
        break;
      } catch (error) {
        lastError = error;
        if (error instanceof DomainError && error.code === "SIGNATURE_EXPIRED") break;
      }
    }
    if (fingerprint === null) throw lastError;
    if (!(await options.replayGuard.recordOnce(fingerprint, new Date(now)))) {
      throw new DomainError(
        "SIGNATURE_REPLAYED",
        "This signed request was already used; reload the card.",
      );
    }
    if (options.portalFrom !== "none") {
      const portalId = c.req.query("portalId");
      if (!portalId || !/^\d{1,20}$/.test(portalId)) {
        throw new DomainError("SIGNATURE_INVALID", "The signed request carries no HubSpot portal.");
      }
      c.set("hubspotCaller", {
        portalId,
        userId: c.req.query("userId") ?? null,
        userEmail: c.req.query("userEmail") ?? null,
        appId: c.req.query("appId") ?? null,
      });
    }
    c.set("rawBody", rawBody);
    await next();
  };
}

/** An in-process replay guard, for tests and single-process tools; production uses the store. */
export class MemoryReplayGuard implements ReplayGuard {
  private readonly seen = new Map<string, number>();

  constructor(private readonly retentionMs = 10 * 60 * 1000) {}

  async recordOnce(fingerprint: string, seenAt: Date): Promise<boolean> {
    const now = seenAt.getTime();
    for (const [key, at] of this.seen) if (now - at > this.retentionMs) this.seen.delete(key);
    if (this.seen.has(fingerprint)) return false;
    this.seen.set(fingerprint, now);
    return true;
  }
}
