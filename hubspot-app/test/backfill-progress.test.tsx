/**
 * The settings page's bar for the first import of the accounting book: records done out of
 * the total and the time left while it runs, nothing when there is nothing to show.
 */
import { describe, expect, it } from "vitest";
import { ProgressBar } from "@hubspot/ui-extensions";
import { createRenderer } from "@hubspot/ui-extensions/testing";
import type { z } from "zod";
import type { syncStatusResponseSchema } from "@encaisse/shared/contracts";
import { translatorFor } from "../app/cards/utils/i18n.ts";
import { BackfillProgressBar } from "../app/settings/components/BackfillProgressBar.tsx";
import { settingsMessagesFor } from "../app/settings/utils/messages.ts";

type SyncStatus = z.infer<typeof syncStatusResponseSchema>;

function render(status: SyncStatus, locale = "fr-fr") {
  const renderer = createRenderer("settings");
  renderer.render(
    <BackfillProgressBar
      t={translatorFor(locale)}
      m={settingsMessagesFor(locale)}
      sync={{ kind: "loaded", status }}
    />,
  );
  return renderer.maybeFind(ProgressBar, { testId: "backfill-progress" });
}

const running = (backfill: SyncStatus["backfill"]): SyncStatus => ({
  state: "running",
  backfill,
  lastRunAt: "2026-11-23T09:00:00.000Z",
  lastError: null,
});

describe("the first import's progress bar", () => {
  it("shows invoices imported out of the total and the time left while the import runs", () => {
    const bar = render(running({ done: 2_500, total: 10_000, etaSeconds: 90 }), "en-us");
    expect(bar?.props).toMatchObject({ value: 2_500, maxValue: 10_000, showPercentage: true });
    expect(bar?.props.title).toBe("2,500 of 10,000 invoices imported");
    expect(bar?.props.valueDescription).toMatch(/^about .+ left$/);
  });

  it("speaks French to a French user", () => {
    const bar = render(running({ done: 40, total: 120, etaSeconds: null }));
    expect(bar?.props.title).toBe("40 factures importées sur 120");
    expect(bar?.props.valueDescription).toBeUndefined();
  });

  it("is not shown once the import is complete, nor while the total is unknown", () => {
    expect(render(running({ done: 120, total: 120, etaSeconds: 0 }))).toBeNull();
    expect(render(running({ done: 40, total: null, etaSeconds: null }))).toBeNull();
    expect(render(running(null))).toBeNull();
  });
});
