/**
 * How fresh the invoices are, the refresh action, and what went wrong when the accounting
 * software could not be reached: the last known data stays on screen with its age.
 */
import { Alert, Flex, LoadingButton, Text } from "@hubspot/ui-extensions";
import type { CardInvoicesResponse } from "@encaisse/shared/contracts";
import type { BackendError } from "../utils/api.ts";
import { PROVIDER_NAMES, type Translator } from "../utils/i18n.ts";

type CardView = Extract<CardInvoicesResponse, { state: "ok" }>;

export function Freshness({
  t,
  view,
  updating,
  updateError,
  onRefresh,
}: {
  t: Translator;
  view: CardView;
  updating: boolean;
  updateError: BackendError | null;
  onRefresh: () => void;
}) {
  const { freshness } = view;
  const age = freshness.ageSeconds === null ? null : t.f.age(freshness.ageSeconds);
  return (
    <Flex direction="column" gap="xs">
      <Flex direction="row" justify="between" align="center">
        <Text variant="microcopy" testId="freshness">
          {age === null ? t.m.neverSynced : t.m.updated(age)}
        </Text>
        <LoadingButton
          testId="refresh"
          size="sm"
          variant="secondary"
          loading={updating}
          disabled={updating}
          onClick={onRefresh}
        >
          {t.m.refresh}
        </LoadingButton>
      </Flex>
      {freshness.refreshError ? (
        <Alert
          testId="provider-down"
          variant="warning"
          title={t.m.providerDownTitle(PROVIDER_NAMES[view.provider])}
        >
          {age === null ? "" : `${t.m.providerDownBody(age)} `}
          {t.errorText(freshness.refreshError)} ({freshness.refreshError.code})
        </Alert>
      ) : null}
      {updateError ? (
        <Alert testId="update-failed" variant="danger" title={t.m.refreshFailedTitle}>
          {t.errorText(updateError)} ({updateError.code})
        </Alert>
      ) : null}
    </Flex>
  );
}
