/**
 * Reading the open record from the page when the address does not name it. Both apps show a
 * record in a drawer or dialog over a list, so the dialog is read first, then the main area.
 * Only text is used: headings for the invoice number, label/value pairs and the dialog's
 * heading for the customer, the SIREN wherever it is printed next to its label.
 */
import { sirenIn } from "./siren";

export interface PageReading {
  readonly invoiceNumber: string | null;
  readonly siren: string | null;
  readonly customerName: string | null;
}

const INVOICE_HEADING =
  /^\s*(?:facture|invoice|avoir|credit note)\b\s*(?:n[°ºo]\.?\s*)?[:#]?\s*([A-Z0-9][A-Z0-9\-/_.]{1,39})\s*$/i;
const CUSTOMER_LABELS = new Set([
  "client",
  "customer",
  "tiers",
  "raison sociale",
  "company name",
  "nom du client",
  "customer name",
]);
const HEADINGS = "h1, h2, [role='heading']";

function textOf(element: Element): string {
  return (element.textContent ?? "").replace(/\s+/g, " ").trim();
}

/** The text of an area with a space between elements, as it reads on screen ("SIREN 732…"). */
function spacedTextOf(area: Element): string {
  const parts: string[] = [];
  const walker = area.ownerDocument.createTreeWalker(area, 4 /* NodeFilter.SHOW_TEXT */);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.nodeValue) parts.push(node.nodeValue);
  }
  return parts.join(" ").replace(/\s+/g, " ");
}

/** The parts of the page that hold the open record, most specific first. */
function recordAreas(document: Document): Element[] {
  const dialogs = [...document.querySelectorAll("[role='dialog'], dialog[open]")];
  const main = document.querySelector("main, [role='main']") ?? document.body;
  return main ? [...dialogs, main] : dialogs;
}

function invoiceNumberIn(area: Element): string | null {
  for (const heading of area.querySelectorAll(HEADINGS)) {
    const number = INVOICE_HEADING.exec(textOf(heading))?.[1];
    if (number && /\d/.test(number)) return number;
  }
  return null;
}

/** A label's value: a `dd` after a `dt`, a `td` after a row header, whatever follows a label. */
const VALUE_AFTER: Record<string, (value: Element) => boolean> = {
  DT: (value) => value.tagName === "DD",
  TH: (value) => value.tagName === "TD",
  LABEL: (value) => value.tagName !== "LABEL",
};

function labelledCustomerIn(area: Element): string | null {
  for (const label of area.querySelectorAll("dt, th, label")) {
    const name = textOf(label).replace(/\s*:$/, "").toLowerCase();
    if (!CUSTOMER_LABELS.has(name)) continue;
    const value = label.nextElementSibling;
    if (!value || !VALUE_AFTER[label.tagName]?.(value)) continue;
    const text = textOf(value);
    if (text.length >= 2 && text.length <= 120) return text;
  }
  return null;
}

/** A dialog's own heading names the customer it shows, unless it is an invoice heading. */
function dialogHeadingIn(area: Element): string | null {
  if (!area.matches("[role='dialog'], dialog")) return null;
  const heading = area.querySelector(HEADINGS);
  const text = heading ? textOf(heading) : "";
  if (text.length < 2 || text.length > 120 || INVOICE_HEADING.test(text)) return null;
  return text;
}

export function readPage(document: Document): PageReading {
  let invoiceNumber: string | null = null;
  let siren: string | null = null;
  let customerName: string | null = null;
  for (const area of recordAreas(document)) {
    invoiceNumber ??= invoiceNumberIn(area);
    siren ??= sirenIn(spacedTextOf(area));
    customerName ??= labelledCustomerIn(area) ?? dialogHeadingIn(area);
  }
  return { invoiceNumber, siren, customerName };
}
