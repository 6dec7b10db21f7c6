import { background } from "../service/runtime";

void background().start();

chrome.tabs.onUpdated.addListener((tabId, change, tab) => {
  void background().tabUpdated(tabId, tab.url, change.status === "loading" || "url" in change);
});
chrome.tabs.onRemoved.addListener((tabId) => {
  void background().tabRemoved(tabId);
});
