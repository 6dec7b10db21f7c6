/**
 * msw handlers that route every request to the Pennylane origin into the emulator, so a client
 * under test talks to it through its real `fetch` code path.
 */
import { http } from "msw";
import type { PennylaneEmulator } from "./emulator";

export interface PennylaneMswOptions {
  /** Sees every exchange, e.g. to validate it against the official contract. */
  readonly onExchange?: (request: Request, response: Response) => void | Promise<void>;
}

export function pennylaneMswHandlers(
  emulator: PennylaneEmulator,
  baseUrl = "https://app.pennylane.com",
  options: PennylaneMswOptions = {},
) {
  const origin = baseUrl.replace(/\/+$/, "");
  return [
    http.all(`${origin}/*`, async ({ request }) => {
      const copy = options.onExchange === undefined ? null : request.clone();
      const response = await emulator.handle(request);
      if (copy !== null) await options.onExchange?.(copy, response.clone());
      return response;
    }),
  ];
}
