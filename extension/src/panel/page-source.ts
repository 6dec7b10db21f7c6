/**
 * The page the panel follows, read from the per-tab context the background keeps in
 * `chrome.storage.session`, and updated as the accounting app navigates.
 */
import type { PageDetection } from "../detect/detection";
import { STORAGE_KEYS } from "../service/protocol";
import { pageOfTab, tabToFollow } from "../service/tab-context";
import type { KeyValueStore } from "../service/store";

type Change = { newValue?: unknown };
/** `@plasmohq/storage`'s Storage: read, plus change callbacks per key. */
export interface WatchableStore extends KeyValueStore {
  watch(callbacks: Record<string, (change: Change) => void>): boolean;
  unwatch(callbacks: Record<string, (change: Change) => void>): boolean;
}

export interface PageSource {
  /** Calls back with the current page now and on every change; returns the unsubscribe. */
  subscribe(listener: (page: PageDetection | null) => void): () => void;
}

export function tabPageSource(session: WatchableStore, panelTabId: number | null): PageSource {
  return {
    subscribe(listener) {
      let active = true;
      let watched: Record<string, (change: Change) => void> = {};

      const follow = async () => {
        session.unwatch(watched);
        const tabId = await tabToFollow(session, panelTabId);
        if (!active) return;
        watched = {};
        if (panelTabId === null) watched[STORAGE_KEYS.lastDetectedTab] = () => void follow();
        if (tabId === null) {
          session.watch(watched);
          listener(null);
          return;
        }
        watched[STORAGE_KEYS.tab(tabId)] = (change) =>
          listener((change.newValue as PageDetection | null | undefined) ?? null);
        session.watch(watched);
        listener(await pageOfTab(session, tabId));
      };

      void follow();
      return () => {
        active = false;
        session.unwatch(watched);
      };
    },
  };
}
