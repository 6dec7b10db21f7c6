/**
 * Where the synchronisation stands: idle, queued, running (with the first import's
 * progress), or failed with its code.
 */
import { Alert, Flex, StatusTag, Text } from "@hubspot/ui-extensions";
import type { Translator } from "../../cards/utils/i18n.ts";
import type { SyncLoad } from "../hooks/useSettingsPage.ts";
import type { SettingsMessages } from "../utils/messages.ts";

const STATE_VARIANTS = {
  idle: "success",
  queued: "info",
  running: "info",
  failed: "danger",
} as const;

export function SyncStatusView({
  t,
  m,
  sync,
}: {
  t: Translator;
  m: SettingsMessages;
  sync: SyncLoad;
}) {
  if (sync.kind === "loading") return null;
  if (sync.kind === "failed") {
    return (
      <Text variant="microcopy" testId="sync-unavailable">
        {m.syncUnavailable} ({sync.error.code})
      </Text>
    );
  }
  const { status } = sync;
  return (
    <Flex direction="column" gap="xs" testId="sync-status">
      <Flex direction="row" gap="sm" align="center">
        <Text format={{ fontWeight: "demibold" }}>{m.syncTitle}</Text>
        <StatusTag testId="sync-state" variant={STATE_VARIANTS[status.state]}>
          {m.syncStates[status.state]}
        </StatusTag>
      </Flex>
      {status.backfill ? (
        <Text testId="backfill">
          {m.backfill(
            t.f.quantity(String(status.backfill.done)),
            status.backfill.total === null ? null : t.f.quantity(String(status.backfill.total)),
          )}
          {status.backfill.etaSeconds === null
            ? ""
            : `, ${m.eta(t.f.duration(status.backfill.etaSeconds))}`}
        </Text>
      ) : null}
      {status.lastRunAt ? (
        <Text variant="microcopy">{m.lastSync(t.f.ageSince(status.lastRunAt, new Date()))}</Text>
      ) : null}
      {status.lastError ? (
        <Alert testId="sync-error" variant="danger" title={t.errorText(status.lastError)}>
          {t.m.errorCode(status.lastError.code)}
        </Alert>
      ) : null}
    </Flex>
  );
}
