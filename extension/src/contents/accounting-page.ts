import type { PlasmoCSConfig } from "plasmo";
import { detectPage } from "../detect/detect";
import { watchPage } from "../detect/watch";
import { sendToBackground } from "../service/send";

// Literal because Plasmo reads it statically; test/sites.test.ts keeps it equal to
// ACCOUNTING_PAGE_MATCHES in detect/sites.ts.
export const config: PlasmoCSConfig = {
  matches: [
    "https://app.pennylane.com/*",
    "https://mainui.fr.active.sage.com/*",
    "$PLASMO_PUBLIC_SAGE_ACTIVE_EXTRA_MATCH",
    "$PLASMO_PUBLIC_TEST_PAGES_MATCH",
  ],
  run_at: "document_idle",
};

watchPage({
  window,
  detect: (address, document) => detectPage(address, document),
  onChange: (detection) => {
    // The worker may be restarting; the next change reports again.
    sendToBackground("page-detected", detection).catch(() => undefined);
  },
});
