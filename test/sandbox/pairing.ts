/**
 * A pairing code for the browser extension, asked of the sandbox's backend over HTTP exactly
 * as the HubSpot settings page asks for one (signed v3, as the demo portal's installing user).
 */
import { pairingCodeResponseSchema } from "@encaisse/shared/contracts";
import { signHubSpotCall } from "../../functions/src/cli/signed-call";
import { SANDBOX_HUBSPOT_APP } from "../emulators/hubspot";
import type { Sandbox } from "./sandbox";

export interface DemoPairingCode {
  readonly code: string;
  readonly expiresAt: string;
}

export async function demoPairingCode(
  sandbox: Pick<Sandbox, "url" | "portalId" | "seeded">,
): Promise<DemoPairingCode> {
  const call = signHubSpotCall({
    method: "POST",
    url: `${sandbox.url}/v1/extension/pairing-codes`,
    portalId: sandbox.portalId,
    userId: String(sandbox.seeded.install.userId),
    userEmail: sandbox.seeded.install.userEmail,
    appId: String(SANDBOX_HUBSPOT_APP.appId),
    clientSecret: SANDBOX_HUBSPOT_APP.clientSecret,
  });
  const response = await fetch(call.url, { method: call.method, headers: call.headers });
  if (!response.ok) {
    throw new Error(`The sandbox refused a pairing code: HTTP ${response.status}`);
  }
  return pairingCodeResponseSchema.parse(await response.json());
}
