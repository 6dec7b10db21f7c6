/**
 * The language the dunning tasks and reminder texts are written in: the reps' language,
 * which is not always the admin's. Each language is named in itself.
 */
import { Select } from "@hubspot/ui-extensions";
import type { DunningLocale } from "../utils/settings-form.ts";
import type { SettingsMessages } from "../utils/messages.ts";

const LOCALES: readonly DunningLocale[] = ["fr", "en"];

export function DunningLocaleSelect({
  m,
  value,
  onChange,
}: {
  m: SettingsMessages;
  value: DunningLocale;
  onChange: (locale: DunningLocale) => void;
}) {
  return (
    <Select
      testId="dunning-locale"
      name="dunning-locale"
      label={m.dunningLocaleLabel}
      description={m.dunningLocaleDescription}
      value={value}
      options={LOCALES.map((locale) => ({ value: locale, label: m.dunningLocales[locale] }))}
      onChange={(chosen) => {
        const locale = LOCALES.find((candidate) => candidate === chosen);
        if (locale !== undefined) onChange(locale);
      }}
    />
  );
}
