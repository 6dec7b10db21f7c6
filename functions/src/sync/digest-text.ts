/**
 * The morning digest's words: one task per owner listing the reminders due today, in the
 * tenant's language. Each reminder also has its own task on the company; the digest is the
 * list to work through.
 */
import {
  type CalendarDate,
  type Cents,
  type DunningAction,
  type DunningLocale,
  dunningActionTitle,
  formatDate,
  formatDayCount,
  formatMoney,
} from "@encaisse/shared";

export interface DigestLine {
  readonly action: DunningAction;
  /** True when the accounting software emailed the invoice itself: nothing left to do. */
  readonly sentByEmail: boolean;
  readonly invoiceNumber: string;
  readonly customerName: string;
  readonly remainingCents: Cents;
  readonly currency: string;
  readonly daysLate: number;
}

const NUMBER_LOCALE: Record<DunningLocale, string> = { fr: "fr-FR", en: "en-GB" };

export function digestText(
  lines: readonly DigestLine[],
  day: CalendarDate,
  locale: DunningLocale,
): { subject: string; body: string } {
  const numberLocale = NUMBER_LOCALE[locale];
  const date = formatDate(day, numberLocale);
  const count = lines.length;
  const items = lines.map((line) => {
    const title = dunningActionTitle(line.action, locale);
    const owed = formatMoney(line.remainingCents, line.currency, numberLocale);
    const late = formatDayCount(line.daysLate, locale);
    if (locale === "fr") {
      const sent = line.sentByEmail ? " (e-mail envoyé automatiquement)" : "";
      return `• ${title} – facture ${line.invoiceNumber} – ${line.customerName} – reste dû ${owed} – ${late} de retard${sent}`;
    }
    const sent = line.sentByEmail ? " (email sent automatically)" : "";
    return `• ${title} – invoice ${line.invoiceNumber} – ${line.customerName} – ${owed} still owed – ${late} late${sent}`;
  });
  if (locale === "fr") {
    return {
      subject: `Relances du ${date} – ${count} ${count > 1 ? "factures" : "facture"}`,
      body: [
        "Relances prévues aujourd'hui (chacune a sa tâche sur la fiche de l'entreprise)\u00a0:",
        ...items,
      ].join("\n"),
    };
  }
  return {
    subject: `Reminders for ${date} – ${count} ${count > 1 ? "invoices" : "invoice"}`,
    body: ["Reminders due today (each has its own task on the company record):", ...items].join(
      "\n",
    ),
  };
}
