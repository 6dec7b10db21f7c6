import { Storage } from "@plasmohq/storage";
import { createBackground } from "../../src/service/handlers";
import type { SendToBackground } from "../../src/service/protocol";
import { BACKEND } from "./backend";

/** The real background logic over the fake browser's storage and side panel. */
export function testBackground(options: { allowOverride?: boolean } = {}) {
  const local = new Storage({ area: "local" });
  const session = new Storage({ area: "session" });
  const background = createBackground({
    local,
    session,
    sidePanel: chrome.sidePanel,
    backendSettings: { builtIn: BACKEND, allowOverride: options.allowOverride ?? false },
    now: () => new Date("2026-03-10T08:00:00Z"),
  });
  /** What an extension page's message reaches: the same handlers, without a tab. */
  const send: SendToBackground = (name, body) =>
    (background.messages[name] as (b: typeof body, s: object) => Promise<never>)(body, {});
  return { background, local, session, send };
}
