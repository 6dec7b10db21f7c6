/**
 * The cards speak the HubSpot user's language: French by default, English for "en*", with
 * amounts and dates formatted by the shared helpers for that locale.
 */
import { describe, expect, it } from "vitest";
import { formatDate, formatMoney } from "@encaisse/shared";
import { daysText, intlLocaleOf, languageOf, translatorFor } from "../app/cards/utils/i18n.ts";
import { settingsMessagesFor } from "../app/settings/utils/messages.ts";

describe("choosing the language", () => {
  it.each([
    { locale: "fr-fr", language: "fr", intl: "fr-FR" },
    { locale: "fr-ca", language: "fr", intl: "fr-FR" },
    { locale: "en-us", language: "en", intl: "en-US" },
    { locale: "en-gb", language: "en", intl: "en-GB" },
    { locale: "en", language: "en", intl: "en-US" },
    { locale: "de-de", language: "fr", intl: "fr-FR" },
    { locale: undefined, language: "fr", intl: "fr-FR" },
  ])("a user in $locale reads $language, amounts in $intl", ({ locale, language, intl }) => {
    expect(languageOf(locale)).toBe(language);
    expect(intlLocaleOf(locale)).toBe(intl);
  });

  it("formats amounts and dates with the shared helpers for the user's locale", () => {
    for (const locale of ["fr-fr", "en-gb"]) {
      const t = translatorFor(locale);
      expect(t.f.money(123_456, "EUR")).toBe(formatMoney(123_456, "EUR", t.intlLocale));
      expect(t.f.date("2026-03-01")).toBe(formatDate("2026-03-01", t.intlLocale));
    }
    expect(translatorFor("fr-fr").f.money(123_456, "EUR")).toBe("1\u202f234,56\u00a0€");
    expect(translatorFor("en-gb").f.money(123_456, "EUR")).toBe("€1,234.56");
  });

  it("shows a unit price exactly as the decimal string the backend sent", () => {
    expect(translatorFor("fr-fr").f.decimalMoney("284.365", "EUR")).toBe("284,365\u00a0€");
    expect(translatorFor("en-us").f.decimalMoney("0.1", "EUR")).toBe("€0.10");
  });
});

describe("the words", () => {
  const shapeOf = (value: unknown): unknown =>
    typeof value === "object" && value !== null
      ? Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, shapeOf(inner)]))
      : typeof value;

  it("the French and English catalogues say the same things", () => {
    expect(shapeOf(translatorFor("fr").m)).toEqual(shapeOf(translatorFor("en").m));
    expect(shapeOf(settingsMessagesFor("fr"))).toEqual(shapeOf(settingsMessagesFor("en")));
  });

  it.each([
    { days: 1, fr: "1 jour", en: "1 day" },
    { days: 12.5, fr: "12,5 jours", en: "12.5 days" },
    { days: -3, fr: "3 jours d'avance", en: "3 days early" },
    { days: null, fr: "—", en: "—" },
  ])("a delay of $days days reads '$fr' / '$en'", ({ days, fr, en }) => {
    expect(daysText(translatorFor("fr"), days)).toBe(fr);
    expect(daysText(translatorFor("en"), days)).toBe(en);
  });

  it.each([
    { terms: "upon_receipt", fr: "À réception", en: "Upon receipt" },
    { terms: "30_days", fr: "30 jours", en: "30 days" },
    { terms: "45_days_end_of_month", fr: "45 jours fin de mois", en: "45 days end of month" },
  ])("payment terms $terms read '$fr' / '$en'", ({ terms, fr, en }) => {
    expect(translatorFor("fr").m.terms(terms)).toBe(fr);
    expect(translatorFor("en").m.terms(terms)).toBe(en);
  });

  it.each([
    { field: "customer.siren", fr: "SIREN de l'entreprise", en: "Company SIREN" },
    { field: "lineItems[0].quantity", fr: "Ligne 1\u00a0: quantité", en: "Line 1: quantity" },
    { field: "lineItems[2].price", fr: "Ligne 3\u00a0: prix unitaire", en: "Line 3: unit price" },
    { field: "deal.somethingNew", fr: "deal.somethingNew", en: "deal.somethingNew" },
  ])("the field $field is named '$fr' / '$en'", ({ field, fr, en }) => {
    expect(translatorFor("fr").m.fieldLabel(field)).toBe(fr);
    expect(translatorFor("en").m.fieldLabel(field)).toBe(en);
  });

  it("explains a known error code in the user's words, an unknown one in the backend's", () => {
    const t = translatorFor("fr");
    expect(t.errorText({ code: "PROVIDER_UNAVAILABLE", message: "Pennylane is down." })).toBe(
      "Votre logiciel comptable ne répond pas. Réessayez dans un instant.",
    );
    expect(t.errorText({ code: "SAGE_VAT_MISMATCH", message: "The VAT does not match." })).toBe(
      "The VAT does not match.",
    );
  });
});
