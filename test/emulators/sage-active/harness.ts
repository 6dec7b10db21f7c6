/**
 * Test harness: an emulator on a hand-moved clock, a consented token, and `send` posting a
 * GraphQL document the way the client will (headers, JSON body). Every document is first
 * checked against the SDL, so a test cannot pass with a query the real API would refuse.
 */
import { assertValidSageQuery } from "../../contract/sage-active-sdl";
import { ManualClock } from "../common/clock";
import { SageActiveEmulator, type SageActiveEmulatorOptions } from "./emulator";
import { SAGE_ACTIVE_API_URL } from "./msw";
import type { TokenResponse } from "./oauth";

// Response bodies are asserted field by field; typing each shape would restate the SDL.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Loose = any;

export { ManualClock };

export interface GraphqlError {
  readonly message: string;
  readonly path?: readonly (string | number)[];
  readonly locations?: readonly { line: number; column: number }[];
  readonly extensions?: Record<string, unknown>;
}

export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly data: Loose;
  readonly errors: readonly GraphqlError[];
  /** The raw body (gateway answers are `{ statusCode, message }`). */
  readonly body: Loose;
}

export interface SendOptions {
  /** The X-OrganizationId header; null leaves it out. Defaults to the default organization. */
  readonly organizationId?: string | null;
  /** Bearer token; null leaves the Authorization header out. */
  readonly token?: string | null;
  /** null leaves the x-api-key header out. */
  readonly apiKey?: string | null;
  readonly signal?: AbortSignal;
  /** False for documents that are meant to be invalid. */
  readonly checkContract?: boolean;
}

export interface Harness {
  readonly emulator: SageActiveEmulator;
  readonly clock: ManualClock;
  readonly tokens: TokenResponse;
  send(query: string, variables?: Record<string, unknown>, options?: SendOptions): Promise<Answer>;
}

export const START = "2026-03-02T09:00:00.000Z";

export function harness(options: SageActiveEmulatorOptions = {}, start = START): Harness {
  const clock = new ManualClock(start);
  const emulator = new SageActiveEmulator({ now: clock.now, ...options });
  const tokens = emulator.issueTokens();
  async function send(
    query: string,
    variables?: Record<string, unknown>,
    sendOptions: SendOptions = {},
  ): Promise<Answer> {
    if (sendOptions.checkContract !== false) assertValidSageQuery(query, variables);
    const headers = new Headers({ "content-type": "application/json" });
    const apiKey = sendOptions.apiKey === undefined ? emulator.apiKey : sendOptions.apiKey;
    if (apiKey !== null) headers.set("x-api-key", apiKey);
    const token = sendOptions.token === undefined ? tokens.access_token : sendOptions.token;
    if (token !== null) headers.set("authorization", `Bearer ${token}`);
    const organizationId =
      sendOptions.organizationId === undefined
        ? emulator.defaultOrganizationId
        : sendOptions.organizationId;
    if (organizationId !== null) headers.set("x-organizationid", organizationId);
    const response = await emulator.handle(
      new Request(SAGE_ACTIVE_API_URL, {
        method: "POST",
        headers,
        body: JSON.stringify(variables === undefined ? { query } : { query, variables }),
        ...(sendOptions.signal ? { signal: sendOptions.signal } : {}),
      }),
    );
    const body: Loose = await response.json();
    return {
      status: response.status,
      headers: response.headers,
      data: body?.data,
      errors: body?.errors ?? [],
      body,
    };
  }
  return { emulator, clock, tokens, send };
}

/** The messages of an answer's errors. */
export const messagesOf = (answer: Answer): string[] => answer.errors.map((error) => error.message);
