/**
 * The first import of the accounting book as a bar: records done out of the total, with the
 * time left, while it is under way. Nothing once it is complete (the status line says so)
 * or while the provider has not said how many records there are.
 */
import { ProgressBar } from "@hubspot/ui-extensions";
import type { Translator } from "../../cards/utils/i18n.ts";
import type { SyncLoad } from "../hooks/useSettingsPage.ts";
import type { SettingsMessages } from "../utils/messages.ts";

export function BackfillProgressBar({
  t,
  m,
  sync,
}: {
  t: Translator;
  m: SettingsMessages;
  sync: SyncLoad;
}) {
  if (sync.kind !== "loaded") return null;
  const backfill = sync.status.backfill;
  if (backfill === null || backfill.total === null || backfill.total <= 0) return null;
  if (backfill.done >= backfill.total) return null;
  return (
    <ProgressBar
      testId="backfill-progress"
      title={m.backfill(t.f.quantity(String(backfill.done)), t.f.quantity(String(backfill.total)))}
      value={backfill.done}
      maxValue={backfill.total}
      showPercentage={true}
      {...(backfill.etaSeconds === null
        ? {}
        : { valueDescription: m.eta(t.f.duration(backfill.etaSeconds)) })}
    />
  );
}
