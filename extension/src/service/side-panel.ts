/**
 * The side panel is off everywhere, and on only in the tabs showing an accounting app. Each
 * tab's panel gets its tab id in its address, which is how it finds that tab's page context
 * without the `tabs` permission.
 */
import { siteKindOf } from "../detect/sites";

/** The slice of `chrome.sidePanel` used here (Chrome 114+). */
export interface SidePanelApi {
  setOptions(options: { tabId?: number; path?: string; enabled?: boolean }): Promise<void>;
  setPanelBehavior(behavior: { openPanelOnActionClick?: boolean }): Promise<void>;
}

export const PANEL_PAGE = "sidepanel.html";

export function panelPathFor(tabId: number): string {
  return `${PANEL_PAGE}?tabId=${tabId}`;
}

/** The tab a panel page belongs to, from its own address; null when opened on its own. */
export function tabIdOfPanel(search: string): number | null {
  const raw = new URLSearchParams(search).get("tabId");
  return raw !== null && /^\d{1,10}$/.test(raw) ? Number(raw) : null;
}

export async function disablePanelEverywhere(sidePanel: SidePanelApi): Promise<void> {
  await sidePanel.setOptions({ enabled: false });
  await sidePanel.setPanelBehavior({ openPanelOnActionClick: true });
}

export async function enablePanelInTab(sidePanel: SidePanelApi, tabId: number): Promise<void> {
  await sidePanel.setOptions({ tabId, path: panelPathFor(tabId), enabled: true });
}

export async function disablePanelInTab(sidePanel: SidePanelApi, tabId: number): Promise<void> {
  await sidePanel.setOptions({ tabId, enabled: false });
}

/**
 * A tab moved on. Host permissions expose `tab.url` on the accounting sites only, so an
 * address we cannot see is, by construction, not one of them.
 */
export function tabShowsAccountingSite(url: string | undefined): boolean {
  return url !== undefined && siteKindOf(url) !== null;
}
