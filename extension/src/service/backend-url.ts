/**
 * Where the backend is: fixed at build time (PLASMO_PUBLIC_BACKEND_URL). Test builds
 * (PLASMO_PUBLIC_ALLOW_BACKEND_OVERRIDE=1) also accept a localhost origin stored under
 * `backendUrlOverride` in chrome.storage.local, so browser tests can start their backend on
 * any port without rebuilding; production builds ignore that key.
 */
import { STORAGE_KEYS } from "./protocol";

export const SANDBOX_BACKEND_URL = "http://localhost:3000";

export interface BackendUrlSettings {
  readonly builtIn: string | undefined;
  readonly allowOverride: boolean;
}

export const BUILD_BACKEND_SETTINGS: BackendUrlSettings = {
  builtIn: process.env.PLASMO_PUBLIC_BACKEND_URL,
  allowOverride: process.env.PLASMO_PUBLIC_ALLOW_BACKEND_OVERRIDE === "1",
};

/** A localhost origin, stored as a plain string or JSON-encoded (as @plasmohq/storage does). */
function localOrigin(value: unknown): string | null {
  if (typeof value !== "string") return null;
  let text = value;
  try {
    const decoded: unknown = JSON.parse(value);
    if (typeof decoded === "string") text = decoded;
  } catch {
    // A plain string, as set with chrome.storage.local.set({ backendUrlOverride: "http://…" }).
  }
  try {
    const url = new URL(text);
    return url.protocol === "http:" && url.hostname === "localhost" ? url.origin : null;
  } catch {
    return null;
  }
}

/** The override as stored, read raw so that tests may set it with chrome.storage directly. */
async function storedOverride(): Promise<unknown> {
  const stored = await chrome.storage.local.get(STORAGE_KEYS.backendOverride);
  return stored[STORAGE_KEYS.backendOverride];
}

export async function backendUrl(
  settings: BackendUrlSettings = BUILD_BACKEND_SETTINGS,
  readOverride: () => Promise<unknown> = storedOverride,
): Promise<string> {
  if (settings.allowOverride) {
    const override = localOrigin(await readOverride());
    if (override) return override;
  }
  return settings.builtIn || SANDBOX_BACKEND_URL;
}
