/**
 * How deals become invoices: drafts or finalized invoices, and whether a won deal is
 * invoiced without anyone clicking.
 */
import { Flex, Heading, Toggle, ToggleGroup } from "@hubspot/ui-extensions";
import type { SettingsForm } from "../utils/settings-form.ts";
import type { SettingsMessages } from "../utils/messages.ts";

export function InvoicingSection({
  m,
  form,
  onChange,
}: {
  m: SettingsMessages;
  form: SettingsForm;
  onChange: (change: Partial<SettingsForm>) => void;
}) {
  return (
    <Flex direction="column" gap="sm">
      <Heading>{m.invoicingTitle}</Heading>
      <ToggleGroup
        testId="invoice-mode"
        toggleType="radioButtonList"
        name="invoice-mode"
        label={m.invoiceModeLabel}
        value={form.invoiceMode}
        options={(["draft", "finalized"] as const).map((value) => ({
          value,
          label: m.invoiceModes[value],
        }))}
        onChange={(value: string) => {
          if (value === "draft" || value === "finalized") onChange({ invoiceMode: value });
        }}
      />
      <Toggle
        testId="auto-invoice"
        name="auto-invoice"
        label={m.autoInvoice}
        labelDisplay="inline"
        checked={form.autoInvoiceOnDealWon}
        onChange={(checked) => onChange({ autoInvoiceOnDealWon: checked })}
      />
    </Flex>
  );
}
