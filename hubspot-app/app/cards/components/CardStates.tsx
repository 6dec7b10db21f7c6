/**
 * The states a card shows when it has no invoices to list: loading, failed, no accounting
 * software connected, no company behind the record, a record type it does not support.
 */
import {
  Button,
  EmptyState,
  ErrorState,
  Flex,
  Link,
  LoadingSpinner,
  Text,
} from "@hubspot/ui-extensions";
import type { CrmObjectType } from "@encaisse/shared/contracts";
import type { BackendError } from "../utils/api.ts";
import type { Translator } from "../utils/i18n.ts";

export function Loading({
  t,
  label,
  testId = "loading",
}: {
  t: Translator;
  label?: string;
  testId?: string;
}) {
  return (
    <LoadingSpinner
      testId={testId}
      label={label ?? t.m.loadingInvoices}
      showLabel
      layout="centered"
    />
  );
}

export function LoadFailed({
  t,
  title,
  error,
  onRetry,
  testId = "load-failed",
}: {
  t: Translator;
  title?: string;
  error: BackendError;
  onRetry?: () => void;
  testId?: string;
}) {
  return (
    <ErrorState testId={testId} title={title ?? t.m.loadFailedTitle}>
      <Text>{t.errorText(error)}</Text>
      <Text variant="microcopy" testId={`${testId}-code`}>
        {t.m.errorCode(error.code)}
      </Text>
      {onRetry ? <Button onClick={onRetry}>{t.m.retry}</Button> : null}
    </ErrorState>
  );
}

export function NotConnected({ t, settingsUrl }: { t: Translator; settingsUrl: string }) {
  return (
    <EmptyState testId="not-connected" title={t.m.notConnectedTitle} imageName="integrations">
      <Flex direction="column" gap="sm">
        <Text>{t.m.notConnectedBody}</Text>
        <Link href={{ url: settingsUrl, external: true }}>{t.m.openSettings}</Link>
      </Flex>
    </EmptyState>
  );
}

export function NoCompany({ t, objectType }: { t: Translator; objectType: CrmObjectType }) {
  return (
    <EmptyState testId="no-company" title={t.m.noCompanyTitle(objectType)} imageName="companies">
      <Text>{t.m.noCompanyBody}</Text>
    </EmptyState>
  );
}

export function UnsupportedRecord({ t }: { t: Translator }) {
  return (
    <EmptyState testId="unsupported-record" title={t.m.errors.RECORD_UNSUPPORTED ?? ""}>
      <Text>{t.m.recordUnsupported}</Text>
    </EmptyState>
  );
}
