/**
 * What the extension API tests share: pairing a browser extension as the settings page and
 * the extension do it, and calling the extension endpoints with its token, every answer
 * checked against its contract.
 */
import { expect } from "vitest";
import {
  type ExtensionContextResponse,
  extensionContextResponseSchema,
  pairResponseSchema,
  pairingCodeResponseSchema,
} from "@encaisse/shared/contracts";
import { distinct } from "./card-support";
import { BACKEND_URL, type BackendHarness } from "./harness";

export type ContextView = Extract<ExtensionContextResponse, { state: "ok" }>;

/** A pairing code for the signed-in HubSpot user of `portalId`, from the settings page. */
export async function newPairingCode(
  harness: BackendHarness,
  options: { portalId?: string } = {},
): Promise<{ code: string; expiresAt: string }> {
  const response = await harness.signedFetch(
    "POST",
    distinct("/v1/extension/pairing-codes"),
    undefined,
    options,
  );
  const body: unknown = await response.json();
  expect(response.status, JSON.stringify(body)).toBe(200);
  return pairingCodeResponseSchema.parse(body);
}

/** What the extension sends when the user types the code. */
export function pairWith(harness: BackendHarness, code: string): Promise<Response> {
  return Promise.resolve(
    harness.app.request(`${BACKEND_URL}/v1/extension/pair`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: "chrome-extension://abcdefgh" },
      body: JSON.stringify({ code }),
    }),
  );
}

/** A freshly paired extension's token. */
export async function pairedToken(
  harness: BackendHarness,
  options: { portalId?: string } = {},
): Promise<string> {
  const { code } = await newPairingCode(harness, options);
  const response = await pairWith(harness, code);
  const body: unknown = await response.json();
  expect(response.status, JSON.stringify(body)).toBe(200);
  return pairResponseSchema.parse(body).token;
}

/** A call from the extension with its token. */
export function asExtension(
  harness: BackendHarness,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<Response> {
  return Promise.resolve(
    harness.app.request(`${BACKEND_URL}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
  );
}

export async function contextOf(
  harness: BackendHarness,
  token: string,
  query: Readonly<Record<string, string>>,
): Promise<ExtensionContextResponse> {
  const response = await asExtension(
    harness,
    token,
    "GET",
    `/v1/extension/context?${new URLSearchParams(query).toString()}`,
  );
  const body: unknown = await response.json();
  expect(response.status, JSON.stringify(body)).toBe(200);
  return extensionContextResponseSchema.parse(body);
}

export async function contextViewOf(
  harness: BackendHarness,
  token: string,
  query: Readonly<Record<string, string>>,
): Promise<ContextView> {
  const answer = await contextOf(harness, token, query);
  if (answer.state !== "ok") throw new Error(`Expected a context, got ${JSON.stringify(answer)}`);
  return answer;
}
