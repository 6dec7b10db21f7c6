/**
 * The extension's pairing with one HubSpot portal and user: the token the backend issued for
 * a one-time code, kept in `chrome.storage.local` and nowhere else. Forgetting it is local;
 * revoking it is done from the HubSpot settings page, after which the backend answers 401
 * and the background forgets it too.
 */
import type { SessionStatus } from "./protocol";
import { STORAGE_KEYS } from "./protocol";
import type { KeyValueStore } from "./store";

export interface Pairing {
  readonly token: string;
  readonly portalId: string;
  readonly userEmail: string | null;
  readonly pairedAt: string;
}

function isPairing(value: unknown): value is Pairing {
  const candidate = value as Partial<Pairing> | null | undefined;
  return typeof candidate?.token === "string" && typeof candidate.portalId === "string";
}

export async function loadPairing(local: KeyValueStore): Promise<Pairing | null> {
  const stored = await local.get<unknown>(STORAGE_KEYS.pairing);
  return isPairing(stored) ? stored : null;
}

export async function savePairing(local: KeyValueStore, pairing: Pairing): Promise<void> {
  await local.set(STORAGE_KEYS.pairing, pairing);
}

export async function forgetPairing(local: KeyValueStore): Promise<void> {
  await local.remove(STORAGE_KEYS.pairing);
}

export function statusOf(pairing: Pairing | null): SessionStatus {
  return {
    signedIn: pairing !== null,
    portalId: pairing?.portalId ?? null,
    userEmail: pairing?.userEmail ?? null,
  };
}
