/**
 * Where the backend is: fixed at build time (PLASMO_PUBLIC_BACKEND_URL). Test builds
 * (PLASMO_PUBLIC_ALLOW_BACKEND_OVERRIDE=1) also accept an origin stored under
 * `backendUrlOverride` in chrome.storage.local, so browser tests can start their backend on
 * any localhost port without rebuilding; production builds ignore that key.
 */
import { STORAGE_KEYS } from "./protocol";
import type { KeyValueStore } from "./store";

export const SANDBOX_BACKEND_URL = "http://localhost:3000";

export interface BackendUrlSettings {
  readonly builtIn: string | undefined;
  readonly allowOverride: boolean;
}

export const BUILD_BACKEND_SETTINGS: BackendUrlSettings = {
  builtIn: process.env.PLASMO_PUBLIC_BACKEND_URL,
  allowOverride: process.env.PLASMO_PUBLIC_ALLOW_BACKEND_OVERRIDE === "1",
};

function localOrigin(value: unknown): string | null {
  if (typeof value !== "string") return null;
  try {
    const url = new URL(value);
    return url.protocol === "http:" && url.hostname === "localhost" ? url.origin : null;
  } catch {
    return null;
  }
}

export async function backendUrl(
  local: KeyValueStore,
  settings: BackendUrlSettings = BUILD_BACKEND_SETTINGS,
): Promise<string> {
  if (settings.allowOverride) {
    const override = localOrigin(await local.get<unknown>(STORAGE_KEYS.backendOverride));
    if (override) return override;
  }
  return settings.builtIn || SANDBOX_BACKEND_URL;
}
