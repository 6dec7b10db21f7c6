/**
 * What each tab shows, as reported by its content script, kept in `chrome.storage.session`
 * (cleared with the browser, never synced) under the tab's id. The most recent report is also
 * remembered, for a panel page opened without a tab id.
 */
import type { PageDetection } from "../detect/detection";
import { STORAGE_KEYS } from "./protocol";
import type { KeyValueStore } from "./store";

export async function recordPage(
  session: KeyValueStore,
  tabId: number,
  detection: PageDetection | null,
): Promise<void> {
  await session.set(STORAGE_KEYS.tab(tabId), detection);
  await session.set(STORAGE_KEYS.lastDetectedTab, tabId);
}

export async function forgetTab(session: KeyValueStore, tabId: number): Promise<void> {
  await session.remove(STORAGE_KEYS.tab(tabId));
  if ((await session.get<number>(STORAGE_KEYS.lastDetectedTab)) === tabId) {
    await session.remove(STORAGE_KEYS.lastDetectedTab);
  }
}

/** The tab a panel should follow: its own, else the one that reported last. */
export async function tabToFollow(
  session: KeyValueStore,
  panelTabId: number | null,
): Promise<number | null> {
  if (panelTabId !== null) return panelTabId;
  const last = await session.get<unknown>(STORAGE_KEYS.lastDetectedTab);
  return typeof last === "number" ? last : null;
}

export async function pageOfTab(
  session: KeyValueStore,
  tabId: number,
): Promise<PageDetection | null> {
  return (await session.get<PageDetection | null>(STORAGE_KEYS.tab(tabId))) ?? null;
}
