/**
 * Follows a single-page app: both accounting apps change the address with the History API and
 * render the record after it, without a page load. A content script cannot hook the page's
 * `history.pushState` (it runs in an isolated world), so it listens to what it can see:
 * back/forward and fragment changes, the Navigation API when the browser has it, and DOM
 * mutations, re-reading the page at most every `settleMs` and reporting only real changes.
 */
import { type PageDetection, sameDetection } from "./detection";

export interface PageWatcherOptions {
  readonly window: Window & typeof globalThis;
  readonly detect: (address: string, document: Document) => PageDetection | null;
  readonly onChange: (detection: PageDetection | null) => void;
  /** Quiet time after the last mutation before the page is read again. */
  readonly settleMs?: number;
}

interface NavigationLike {
  addEventListener(type: string, listener: () => void): void;
  removeEventListener(type: string, listener: () => void): void;
}

export function watchPage(options: PageWatcherOptions): { stop(): void } {
  const { window: page, detect, onChange } = options;
  const settleMs = options.settleMs ?? 300;
  let last: PageDetection | null | undefined;
  let timer: number | undefined;

  const check = () => {
    timer = undefined;
    const detection = detect(page.location.href, page.document);
    if (last !== undefined && sameDetection(last, detection)) return;
    last = detection;
    onChange(detection);
  };
  const schedule = () => {
    if (timer !== undefined) page.clearTimeout(timer);
    timer = page.setTimeout(check, settleMs);
  };

  const observer = new page.MutationObserver(schedule);
  observer.observe(page.document.documentElement, {
    subtree: true,
    childList: true,
    characterData: true,
  });
  page.addEventListener("popstate", schedule);
  page.addEventListener("hashchange", schedule);
  const navigation = (page as unknown as { navigation?: NavigationLike }).navigation;
  navigation?.addEventListener("currententrychange", schedule);

  check();
  return {
    stop() {
      observer.disconnect();
      page.removeEventListener("popstate", schedule);
      page.removeEventListener("hashchange", schedule);
      navigation?.removeEventListener("currententrychange", schedule);
      if (timer !== undefined) page.clearTimeout(timer);
    },
  };
}
