/**
 * What is missing before a deal can be invoiced (a SIREN, a billing address, a line's
 * price…), shown before anything is sent to the accounting software.
 */
import { Alert, List, Text } from "@hubspot/ui-extensions";
import type { FieldError } from "@encaisse/shared/contracts";
import type { Translator } from "../utils/i18n.ts";

export function FieldErrors({
  t,
  fieldErrors,
  title,
}: {
  t: Translator;
  fieldErrors: readonly FieldError[];
  title?: string;
}) {
  return (
    <Alert testId="field-errors" variant="warning" title={title ?? t.m.fieldErrorsTitle}>
      <Text>{t.m.fieldErrorsBody}</Text>
      <List variant="unordered">
        {fieldErrors.map((fieldError) => (
          <Text key={`${fieldError.field}-${fieldError.code}`} testId={`field-${fieldError.field}`}>
            {t.m.fieldLabel(fieldError.field)}: {t.errorText(fieldError)} ({fieldError.code})
          </Text>
        ))}
      </List>
    </Alert>
  );
}
