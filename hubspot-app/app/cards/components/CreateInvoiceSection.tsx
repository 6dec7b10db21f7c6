/**
 * "Invoice this deal": the preview, the missing information as field errors, the draft or
 * finalized choice, a confirmation, then the invoice created (or the one the deal already
 * has). The confirm button is disabled while the creation is in flight.
 */
import {
  Alert,
  Button,
  ButtonRow,
  Flex,
  Heading,
  LoadingButton,
  Text,
  Tile,
  ToggleGroup,
} from "@hubspot/ui-extensions";
import {
  type InvoiceCreation,
  type InvoiceMode,
  useInvoiceCreation,
} from "../hooks/useInvoiceCreation.ts";
import { fieldErrorsOf } from "../utils/api.ts";
import type { Translator } from "../utils/i18n.ts";
import { Loading, LoadFailed } from "./CardStates.tsx";
import { FieldErrors } from "./FieldErrors.tsx";
import { InvoicePreview } from "./InvoicePreview.tsx";
import { InvoiceSummaryView } from "./InvoiceSummaryView.tsx";

export function CreateInvoiceSection({ t, dealId }: { t: Translator; dealId: string }) {
  const creation = useInvoiceCreation(dealId);
  return (
    <Tile testId="create-invoice">
      <Flex direction="column" gap="sm">
        <Heading>{t.m.createTitle}</Heading>
        <CreationStep t={t} creation={creation} />
      </Flex>
    </Tile>
  );
}

function CreationStep({ t, creation }: { t: Translator; creation: InvoiceCreation }) {
  const { preview, submission } = creation;
  if (preview.kind === "loading") {
    return <Loading t={t} label={t.m.preparingInvoice} testId="preview-loading" />;
  }
  if (preview.kind === "failed") {
    return (
      <LoadFailed
        t={t}
        title={t.m.previewFailedTitle}
        error={preview.error}
        testId="preview-failed"
        onRetry={creation.reloadPreview}
      />
    );
  }
  const answer = preview.preview;
  if (answer.state === "invalid") return <FieldErrors t={t} fieldErrors={answer.fieldErrors} />;
  if (answer.state === "already_invoiced") {
    return (
      <InvoiceSummaryView
        t={t}
        testId="already-invoiced"
        title={t.m.alreadyInvoicedTitle}
        invoice={answer.invoice}
      />
    );
  }
  if (submission.kind === "created") {
    const { invoice, created } = submission.result;
    return (
      <InvoiceSummaryView
        t={t}
        testId={created ? "invoice-created" : "already-invoiced"}
        title={created ? t.m.createdTitle(invoice.number) : t.m.alreadyInvoicedTitle}
        invoice={invoice}
      />
    );
  }
  const mode = creation.mode ?? answer.mode;
  const sending = submission.kind === "sending";
  return (
    <Flex direction="column" gap="sm">
      <InvoicePreview t={t} preview={answer} />
      <ToggleGroup
        testId="invoice-mode"
        toggleType="radioButtonList"
        name="invoice-mode"
        label={t.m.createAs}
        value={mode}
        inline
        options={(["draft", "finalized"] as const).map((value) => ({
          value,
          label: t.m.modes[value],
          readOnly: submission.kind !== "idle" && submission.kind !== "failed",
        }))}
        onChange={(value: string) => {
          if (value === "draft" || value === "finalized") creation.chooseMode(value);
        }}
      />
      {submission.kind === "confirming" || sending ? (
        <Confirmation
          t={t}
          mode={mode}
          amount={t.f.money(answer.grossCents, answer.currency)}
          customer={answer.customer.name}
          sending={sending}
          creation={creation}
        />
      ) : (
        <Button testId="create" variant="primary" onClick={creation.askConfirmation}>
          {t.m.createInvoice}
        </Button>
      )}
      {submission.kind === "failed" ? (
        <Alert testId="create-failed" variant="danger" title={t.m.createFailedTitle}>
          <Text>
            {t.errorText(submission.error)} ({submission.error.code})
          </Text>
          {fieldErrorsOf(submission.error).map((fieldError) => (
            <Text key={fieldError.field}>
              {t.m.fieldLabel(fieldError.field)}: {t.errorText(fieldError)} ({fieldError.code})
            </Text>
          ))}
        </Alert>
      ) : null}
    </Flex>
  );
}

function Confirmation({
  t,
  mode,
  amount,
  customer,
  sending,
  creation,
}: {
  t: Translator;
  mode: InvoiceMode;
  amount: string;
  customer: string;
  sending: boolean;
  creation: InvoiceCreation;
}) {
  return (
    <Flex direction="column" gap="xs" testId="confirmation">
      <Text format={{ fontWeight: "demibold" }}>{t.m.confirmTitle(mode, amount, customer)}</Text>
      {mode === "finalized" ? <Text variant="microcopy">{t.m.finalizedWarning}</Text> : null}
      <ButtonRow>
        <LoadingButton
          testId="confirm"
          variant="primary"
          loading={sending}
          disabled={sending}
          onClick={creation.confirm}
        >
          {t.m.confirm}
        </LoadingButton>
        <Button testId="cancel" variant="secondary" disabled={sending} onClick={creation.cancel}>
          {t.m.cancel}
        </Button>
      </ButtonRow>
    </Flex>
  );
}
