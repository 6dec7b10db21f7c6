/**
 * The cards' words in French and English. The language follows the HubSpot user's locale
 * (`context.user.locale`) the way the backend chooses it for match explanations: English
 * for "en*", French otherwise, since Encaisse is made for French companies first.
 * Values arrive already formatted (format.ts), so a message only places them.
 */
import type { CrmObjectType, InvoiceSummary } from "@encaisse/shared/contracts";
import {
  type DunningAction,
  INVOICE_STATUS_LABELS,
  type InvoiceStatus,
  type PaymentMethod,
  type PaymentRisk,
} from "@encaisse/shared";
import { type Formats, formatsFor } from "./format.ts";

export type Language = "fr" | "en";
type ProviderName = InvoiceSummary["provider"];

export function languageOf(userLocale: string | undefined): Language {
  return /^\s*en\b/i.test(userLocale ?? "") ? "en" : "fr";
}

/** The Intl locale for amounts and dates: the user's own English variant, or fr-FR. */
export function intlLocaleOf(userLocale: string | undefined): string {
  if (languageOf(userLocale) === "fr") return "fr-FR";
  try {
    const [canonical] = Intl.getCanonicalLocales(userLocale?.trim() ?? "en-US");
    return canonical && canonical.includes("-") ? canonical : "en-US";
  } catch {
    return "en-US";
  }
}

export const PROVIDER_NAMES: Record<ProviderName, string> = {
  pennylane: "Pennylane",
  sage_active: "Sage Active",
};

export interface CardMessages {
  loadingInvoices: string;
  retry: string;
  loadFailedTitle: string;
  errorCode: (code: string) => string;
  errors: Readonly<Record<string, string>>;
  recordUnsupported: string;

  notConnectedTitle: string;
  notConnectedBody: string;
  openSettings: string;
  noCompanyTitle: (objectType: CrmObjectType) => string;
  noCompanyBody: string;
  notMatchedTitle: (company: string, provider: string) => string;
  notMatchedBody: string;
  noCandidates: (provider: string) => string;
  linkFromInvoicesTab: string;
  candidateColumns: { customer: string; siren: string; vatNumber: string; why: string };
  confidence: (percent: string) => string;
  linkCustomer: string;
  linkFailedTitle: string;
  emptyTitle: string;
  emptyBody: (customer: string, provider: string) => string;

  updated: (age: string) => string;
  neverSynced: string;
  refresh: string;
  providerDownTitle: (provider: string) => string;
  providerDownBody: (age: string) => string;
  refreshFailedTitle: string;
  amountsHidden: string;
  hiddenAmount: string;
  notAvailable: string;

  outstanding: string;
  overdue: string;
  averageDelay: string;
  dso: string;
  paymentRisk: string;
  riskLevels: Record<PaymentRisk, string>;
  openInvoices: (count: number) => string;
  overdueInvoices: (count: number) => string;
  atRisk: (amount: string) => string;
  oldestLate: (days: string) => string;
  days: (count: string, plural: boolean) => string;
  daysEarly: (count: string, plural: boolean) => string;

  columns: {
    number: string;
    issueDate: string;
    dueDate: string;
    amount: string;
    remaining: string;
    status: string;
    daysLate: string;
    dunning: string;
  };
  invoicesTable: string;
  draftNumber: string;
  statuses: Record<InvoiceStatus, string>;
  dunningActions: Record<DunningAction, string>;
  dunningDone: (action: string, date: string) => string;
  dunningNext: (action: string, date: string) => string;
  dunningDisputed: string;
  dunningPromised: (until: string) => string;
  pauseReasons: Record<"dispute" | "promise_to_pay", string>;
  pauseReason: string;
  promisedBy: string;
  pauseNote: string;
  pauseDunning: string;
  resumeDunning: string;
  dunningPausedSince: (reason: string, since: string) => string;
  dunningPausedUntil: (until: string) => string;
  pauseFailedTitle: string;
  resumeFailedTitle: string;
  promiseDateInvalid: string;
  showDetails: string;
  hideDetails: string;
  invoiceTitle: (number: string) => string;
  payments: string;
  noPayments: string;
  paymentMethods: Record<PaymentMethod, string>;
  penalties: string;
  interest: string;
  indemnity: string;
  penaltiesTotal: string;
  provisionalRate: string;
  getPdf: string;
  openPdf: string;
  pdfValidUntil: (time: string) => string;
  pdfFailedTitle: string;
  openInProvider: (provider: string) => string;

  createTitle: string;
  preparingInvoice: string;
  previewFailedTitle: string;
  billedTo: string;
  newCustomer: string;
  siren: string;
  invoiceDate: string;
  dueDate: string;
  paymentTerms: string;
  terms: (terms: string) => string;
  operationNature: string;
  natures: Record<"goods" | "services" | "mixed", string>;
  lineColumns: {
    label: string;
    quantity: string;
    unitPrice: string;
    vatRate: string;
    vat: string;
    net: string;
    gross: string;
  };
  totalNet: string;
  totalVat: string;
  totalGross: string;
  legalMentions: string;
  createAs: string;
  modes: Record<"draft" | "finalized", string>;
  createInvoice: string;
  confirmTitle: (mode: "draft" | "finalized", amount: string, customer: string) => string;
  finalizedWarning: string;
  confirm: string;
  cancel: string;
  createdTitle: (number: string | null) => string;
  alreadyInvoicedTitle: string;
  fieldErrorsTitle: string;
  fieldErrorsBody: string;
  fieldLabel: (field: string) => string;
  createFailedTitle: string;
}

const dayWord = (plural: boolean, one: string, many: string) => (plural ? many : one);

const FIELD_LINE = /^lineItems\[(\d+)\]\.(\w+)$/;

const en: CardMessages = {
  loadingInvoices: "Loading invoices…",
  retry: "Try again",
  loadFailedTitle: "The invoices could not be loaded",
  errorCode: (code) => `Error code: ${code}`,
  errors: {
    BACKEND_UNREACHABLE: "Encaisse could not be reached. Check your connection and try again.",
    BACKEND_UNAVAILABLE: "Encaisse is briefly unavailable. Try again in a moment.",
    BACKEND_RESPONSE_INVALID:
      "Encaisse answered in a way this card does not understand. Reload the page; if it persists, contact support.",
    PROVIDER_UNAVAILABLE: "Your accounting software is not responding. Try again in a moment.",
    PROVIDER_TIMEOUT: "Your accounting software took too long to answer. Try again in a moment.",
    PROVIDER_RATE_LIMITED: "Your accounting software asks us to slow down. Try again in a minute.",
    PROVIDER_AUTH_FAILED:
      "Your accounting software refused Encaisse's access: reconnect it in the Encaisse settings.",
    PROVIDER_NOT_CONNECTED: "No accounting software is connected: connect one in the settings.",
    TENANT_NOT_INSTALLED:
      "Encaisse is no longer installed on this account: reinstall it from the marketplace.",
    SIGNATURE_INVALID: "This request could not be verified. Reload the page.",
    SIGNATURE_EXPIRED: "This request could not be verified. Reload the page.",
    FORBIDDEN: "You are not allowed to do this.",
    RATE_LIMITED: "Too many requests at once. Try again in a minute.",
    HUBSPOT_UNAVAILABLE: "HubSpot is not responding to Encaisse. Try again in a moment.",
    DEAL_ALREADY_INVOICED: "This deal is already invoiced.",
    INVOICE_CREATION_IN_PROGRESS: "This invoice is being created right now. Refresh in a moment.",
    CUSTOMER_NOT_MATCHED: "Link the company to a customer first.",
    CUSTOMER_ALREADY_LINKED: "This company is already linked to a customer.",
    INVOICE_NOT_FOUND: "This invoice no longer exists in your accounting software.",
    RECORD_UNSUPPORTED: "This kind of record cannot show invoices.",
    INVOICE_NOT_RECEIVABLE: "This invoice is no longer owed: its dunning cannot be paused.",
  },
  recordUnsupported: "Encaisse shows invoices on companies, contacts and deals.",

  notConnectedTitle: "Connect your accounting software",
  notConnectedBody:
    "Encaisse shows invoices from Pennylane or Sage Active once an admin connects one in the Encaisse settings.",
  openSettings: "Open the Encaisse settings",
  noCompanyTitle: (objectType) =>
    objectType === "deals" ? "This deal has no company" : "This contact has no company",
  noCompanyBody:
    "Invoices belong to a company: associate one with this record to see its invoices.",
  notMatchedTitle: (company, provider) => `${company} is not linked to a ${provider} customer yet`,
  notMatchedBody:
    "Pick the customer that is this company. Encaisse never links on a name alone, so it asks you.",
  noCandidates: (provider) =>
    `No ${provider} customer has this company's SIREN, VAT number or domain. Add the SIREN to the company in HubSpot, or create the customer in ${provider}.`,
  linkFromInvoicesTab: "Link it to its customer from the Invoices tab.",
  candidateColumns: {
    customer: "Customer",
    siren: "SIREN",
    vatNumber: "VAT number",
    why: "Why",
  },
  confidence: (percent) => `${percent} match`,
  linkCustomer: "Link",
  linkFailedTitle: "The link was not saved",
  emptyTitle: "No invoices yet",
  emptyBody: (customer, provider) => `${customer} has no invoice in ${provider} yet.`,

  updated: (age) => `Updated ${age}`,
  neverSynced: "Not synced yet",
  refresh: "Refresh",
  providerDownTitle: (provider) => `${provider} is not responding`,
  providerDownBody: (age) => `Showing the last known data, updated ${age}.`,
  refreshFailedTitle: "The refresh failed: showing the data loaded before",
  amountsHidden: "Amounts are hidden for your team.",
  hiddenAmount: "Hidden",
  notAvailable: "—",

  outstanding: "Outstanding",
  overdue: "Overdue",
  averageDelay: "Average payment delay",
  dso: "DSO",
  paymentRisk: "Payment risk",
  riskLevels: { low: "Low", medium: "Medium", high: "High: at risk" },
  openInvoices: (count) => `${count} open ${count === 1 ? "invoice" : "invoices"}`,
  overdueInvoices: (count) => `${count} late ${count === 1 ? "invoice" : "invoices"}`,
  atRisk: (amount) => `${amount} at risk`,
  oldestLate: (days) => `Oldest: ${days} late`,
  days: (count, plural) => `${count} ${dayWord(plural, "day", "days")}`,
  daysEarly: (count, plural) => `${count} ${dayWord(plural, "day", "days")} early`,

  columns: {
    number: "Number",
    issueDate: "Date",
    dueDate: "Due",
    amount: "Amount incl. VAT",
    remaining: "Still owed",
    status: "Status",
    daysLate: "Late",
    dunning: "Dunning",
  },
  invoicesTable: "Invoices",
  draftNumber: "Draft",
  statuses: INVOICE_STATUS_LABELS.en,
  dunningActions: {
    courteous_email: "Courteous reminder",
    call: "Call",
    firm_notice: "Firm reminder",
    formal_notice: "Formal notice",
  },
  dunningDone: (action, date) => `${action} on ${date}`,
  dunningNext: (action, date) => `Next: ${action} on ${date}`,
  dunningDisputed: "On hold: disputed",
  dunningPromised: (until) => `On hold: payment promised by ${until}`,
  pauseReasons: { dispute: "Dispute", promise_to_pay: "Promise to pay" },
  pauseReason: "Pause dunning because of",
  promisedBy: "Payment promised by",
  pauseNote: "Note (optional)",
  pauseDunning: "Pause dunning",
  resumeDunning: "Resume dunning",
  dunningPausedSince: (reason, since) => `Dunning paused since ${since}: ${reason}`,
  dunningPausedUntil: (until) => `Until ${until}`,
  pauseFailedTitle: "Dunning was not paused",
  resumeFailedTitle: "Dunning was not resumed",
  promiseDateInvalid: "The promised date must be today or later.",
  showDetails: "Details",
  hideDetails: "Close",
  invoiceTitle: (number) => `Invoice ${number}`,
  payments: "Payments",
  noPayments: "No payment received yet.",
  paymentMethods: {
    transfer: "Transfer",
    direct_debit: "Direct debit",
    card: "Card",
    check: "Cheque",
    cash: "Cash",
    credit_note: "Credit note",
    other: "Other",
  },
  penalties: "Late-payment penalties to date",
  interest: "Interest",
  indemnity: "Fixed recovery indemnity",
  penaltiesTotal: "Total",
  provisionalRate: "Provisional: this half-year's rate is not published yet.",
  getPdf: "Get the PDF",
  openPdf: "Open the PDF",
  pdfValidUntil: (time) => `Link valid until ${time}`,
  pdfFailedTitle: "The PDF link could not be fetched",
  openInProvider: (provider) => `Open in ${provider}`,

  createTitle: "Invoice this deal",
  preparingInvoice: "Preparing the invoice…",
  previewFailedTitle: "The invoice could not be prepared",
  billedTo: "Billed to",
  newCustomer: "New customer: it will be created in the accounting software",
  siren: "SIREN",
  invoiceDate: "Invoice date",
  dueDate: "Due date",
  paymentTerms: "Payment terms",
  terms: (terms) => {
    if (terms === "upon_receipt") return "Upon receipt";
    const [days] = terms.split("_");
    return terms.endsWith("_end_of_month") ? `${days} days end of month` : `${days} days`;
  },
  operationNature: "Nature of the operation",
  natures: { goods: "Goods", services: "Services", mixed: "Goods and services" },
  lineColumns: {
    label: "Item",
    quantity: "Qty",
    unitPrice: "Unit price excl. VAT",
    vatRate: "VAT rate",
    vat: "VAT",
    net: "Excl. VAT",
    gross: "Incl. VAT",
  },
  totalNet: "Total excl. VAT",
  totalVat: "VAT",
  totalGross: "Total incl. VAT",
  legalMentions: "Mentions printed on the invoice",
  createAs: "Create it as",
  modes: {
    draft: "A draft, to review in the accounting software",
    finalized: "A finalized invoice, numbered now",
  },
  createInvoice: "Create the invoice",
  confirmTitle: (mode, amount, customer) =>
    `Create a ${mode === "draft" ? "draft" : "finalized"} invoice of ${amount} for ${customer}?`,
  finalizedWarning:
    "A finalized invoice gets its number at once and can no longer be deleted, only cancelled by a credit note.",
  confirm: "Confirm",
  cancel: "Cancel",
  createdTitle: (number) => (number ? `Invoice ${number} created` : "Draft invoice created"),
  alreadyInvoicedTitle: "This deal is already invoiced",
  fieldErrorsTitle: "Complete these before invoicing",
  fieldErrorsBody: "Nothing was sent to your accounting software.",
  fieldLabel: (field) => {
    const line = FIELD_LINE.exec(field);
    if (line) {
      const parts: Record<string, string> = {
        quantity: "quantity",
        price: "unit price",
        discount: "discount",
        vatCode: "VAT rate",
        label: "label",
      };
      return `Line ${Number(line[1]) + 1}: ${parts[line[2] ?? ""] ?? line[2]}`;
    }
    const labels: Record<string, string> = {
      "customer.siren": "Company SIREN",
      "customer.siret": "Company SIRET",
      "customer.vatNumber": "Company VAT number",
      "customer.billingAddress": "Billing address",
      operationNature: "Nature of the operation",
    };
    return labels[field] ?? field;
  },
  createFailedTitle: "The invoice was not created",
};

const fr: CardMessages = {
  loadingInvoices: "Chargement des factures…",
  retry: "Réessayer",
  loadFailedTitle: "Impossible de charger les factures",
  errorCode: (code) => `Code d'erreur\u00a0: ${code}`,
  errors: {
    BACKEND_UNREACHABLE: "Encaisse est injoignable. Vérifiez votre connexion et réessayez.",
    BACKEND_UNAVAILABLE: "Encaisse est momentanément indisponible. Réessayez dans un instant.",
    BACKEND_RESPONSE_INVALID:
      "Encaisse a répondu d'une façon que cette carte ne comprend pas. Rechargez la page\u00a0; si cela persiste, contactez le support.",
    PROVIDER_UNAVAILABLE: "Votre logiciel comptable ne répond pas. Réessayez dans un instant.",
    PROVIDER_TIMEOUT: "Votre logiciel comptable a mis trop de temps à répondre. Réessayez.",
    PROVIDER_RATE_LIMITED:
      "Votre logiciel comptable nous demande de ralentir. Réessayez dans une minute.",
    PROVIDER_AUTH_FAILED:
      "Votre logiciel comptable refuse l'accès d'Encaisse\u00a0: reconnectez-le dans les paramètres d'Encaisse.",
    PROVIDER_NOT_CONNECTED:
      "Aucun logiciel comptable n'est connecté\u00a0: connectez-en un dans les paramètres.",
    TENANT_NOT_INSTALLED:
      "Encaisse n'est plus installé sur ce compte\u00a0: réinstallez-le depuis le marketplace.",
    SIGNATURE_INVALID: "Cette requête n'a pas pu être vérifiée. Rechargez la page.",
    SIGNATURE_EXPIRED: "Cette requête n'a pas pu être vérifiée. Rechargez la page.",
    FORBIDDEN: "Vous n'avez pas le droit de faire cela.",
    RATE_LIMITED: "Trop de requêtes à la fois. Réessayez dans une minute.",
    HUBSPOT_UNAVAILABLE: "HubSpot ne répond pas à Encaisse. Réessayez dans un instant.",
    DEAL_ALREADY_INVOICED: "Cette affaire est déjà facturée.",
    INVOICE_CREATION_IN_PROGRESS:
      "Cette facture est en cours de création. Actualisez dans un instant.",
    CUSTOMER_NOT_MATCHED: "Liez d'abord l'entreprise à un client.",
    CUSTOMER_ALREADY_LINKED: "Cette entreprise est déjà liée à un client.",
    INVOICE_NOT_FOUND: "Cette facture n'existe plus dans votre logiciel comptable.",
    RECORD_UNSUPPORTED: "Ce type de fiche ne peut pas afficher de factures.",
    INVOICE_NOT_RECEIVABLE:
      "Cette facture n'est plus due\u00a0: ses relances ne peuvent pas être suspendues.",
  },
  recordUnsupported: "Encaisse affiche les factures sur les entreprises, contacts et affaires.",

  notConnectedTitle: "Connectez votre logiciel comptable",
  notConnectedBody:
    "Encaisse affiche les factures de Pennylane ou Sage Active dès qu'un administrateur en connecte un dans les paramètres d'Encaisse.",
  openSettings: "Ouvrir les paramètres d'Encaisse",
  noCompanyTitle: (objectType) =>
    objectType === "deals"
      ? "Cette affaire n'a pas d'entreprise"
      : "Ce contact n'a pas d'entreprise",
  noCompanyBody:
    "Les factures sont rattachées à une entreprise\u00a0: associez-en une à cette fiche pour voir ses factures.",
  notMatchedTitle: (company, provider) =>
    `${company} n'est pas encore liée à un client ${provider}`,
  notMatchedBody:
    "Choisissez le client qui correspond à cette entreprise. Encaisse ne lie jamais sur le seul nom, il vous le demande.",
  noCandidates: (provider) =>
    `Aucun client ${provider} n'a le SIREN, le numéro de TVA ou le domaine de cette entreprise. Ajoutez le SIREN à l'entreprise dans HubSpot, ou créez le client dans ${provider}.`,
  linkFromInvoicesTab: "Liez-la à son client depuis l'onglet Factures.",
  candidateColumns: {
    customer: "Client",
    siren: "SIREN",
    vatNumber: "N° de TVA",
    why: "Pourquoi",
  },
  confidence: (percent) => `correspondance ${percent}`,
  linkCustomer: "Lier",
  linkFailedTitle: "Le lien n'a pas été enregistré",
  emptyTitle: "Aucune facture pour l'instant",
  emptyBody: (customer, provider) => `${customer} n'a encore aucune facture dans ${provider}.`,

  updated: (age) => `Mis à jour ${age}`,
  neverSynced: "Pas encore synchronisé",
  refresh: "Actualiser",
  providerDownTitle: (provider) => `${provider} ne répond pas`,
  providerDownBody: (age) => `Dernières données connues, mises à jour ${age}.`,
  refreshFailedTitle: "L'actualisation a échoué\u00a0: données chargées précédemment",
  amountsHidden: "Les montants sont masqués pour votre équipe.",
  hiddenAmount: "Masqué",
  notAvailable: "—",

  outstanding: "Encours",
  overdue: "En retard",
  averageDelay: "Retard moyen de paiement",
  dso: "DSO",
  paymentRisk: "Risque de paiement",
  riskLevels: { low: "Faible", medium: "Moyen", high: "Élevé\u00a0: à risque" },
  openInvoices: (count) => `${count} ${count > 1 ? "factures ouvertes" : "facture ouverte"}`,
  overdueInvoices: (count) => `${count} ${count > 1 ? "factures en retard" : "facture en retard"}`,
  atRisk: (amount) => `${amount} à risque`,
  oldestLate: (days) => `La plus ancienne\u00a0: ${days} de retard`,
  days: (count, plural) => `${count} ${dayWord(plural, "jour", "jours")}`,
  daysEarly: (count, plural) => `${count} ${dayWord(plural, "jour", "jours")} d'avance`,

  columns: {
    number: "Numéro",
    issueDate: "Date",
    dueDate: "Échéance",
    amount: "Montant TTC",
    remaining: "Reste dû",
    status: "Statut",
    daysLate: "Retard",
    dunning: "Relance",
  },
  invoicesTable: "Factures",
  draftNumber: "Brouillon",
  statuses: INVOICE_STATUS_LABELS.fr,
  dunningActions: {
    courteous_email: "Relance courtoise",
    call: "Appel",
    firm_notice: "Relance ferme",
    formal_notice: "Mise en demeure",
  },
  dunningDone: (action, date) => `${action} le ${date}`,
  dunningNext: (action, date) => `Prochaine\u00a0: ${action} le ${date}`,
  dunningDisputed: "Suspendue\u00a0: litige",
  dunningPromised: (until) => `Suspendue\u00a0: paiement promis d'ici le ${until}`,
  pauseReasons: { dispute: "Litige", promise_to_pay: "Promesse de paiement" },
  pauseReason: "Suspendre les relances pour",
  promisedBy: "Paiement promis pour le",
  pauseNote: "Note (facultative)",
  pauseDunning: "Suspendre les relances",
  resumeDunning: "Reprendre les relances",
  dunningPausedSince: (reason, since) => `Relances suspendues depuis le ${since}\u00a0: ${reason}`,
  dunningPausedUntil: (until) => `Jusqu'au ${until}`,
  pauseFailedTitle: "Les relances n'ont pas été suspendues",
  resumeFailedTitle: "Les relances n'ont pas repris",
  promiseDateInvalid: "La date promise doit être aujourd'hui ou plus tard.",
  showDetails: "Détail",
  hideDetails: "Fermer",
  invoiceTitle: (number) => `Facture ${number}`,
  payments: "Règlements",
  noPayments: "Aucun règlement reçu.",
  paymentMethods: {
    transfer: "Virement",
    direct_debit: "Prélèvement",
    card: "Carte",
    check: "Chèque",
    cash: "Espèces",
    credit_note: "Avoir",
    other: "Autre",
  },
  penalties: "Pénalités de retard à ce jour",
  interest: "Intérêts de retard",
  indemnity: "Indemnité forfaitaire de recouvrement",
  penaltiesTotal: "Total",
  provisionalRate: "Provisoire\u00a0: le taux de ce semestre n'est pas encore publié.",
  getPdf: "Obtenir le PDF",
  openPdf: "Ouvrir le PDF",
  pdfValidUntil: (time) => `Lien valable jusqu'à ${time}`,
  pdfFailedTitle: "Le lien du PDF n'a pas pu être obtenu",
  openInProvider: (provider) => `Ouvrir dans ${provider}`,

  createTitle: "Facturer cette affaire",
  preparingInvoice: "Préparation de la facture…",
  previewFailedTitle: "La facture n'a pas pu être préparée",
  billedTo: "Facturé à",
  newCustomer: "Nouveau client\u00a0: il sera créé dans le logiciel comptable",
  siren: "SIREN",
  invoiceDate: "Date de facture",
  dueDate: "Échéance",
  paymentTerms: "Conditions de paiement",
  terms: (terms) => {
    if (terms === "upon_receipt") return "À réception";
    const [days] = terms.split("_");
    return terms.endsWith("_end_of_month") ? `${days} jours fin de mois` : `${days} jours`;
  },
  operationNature: "Nature de l'opération",
  natures: {
    goods: "Livraison de biens",
    services: "Prestation de services",
    mixed: "Biens et services",
  },
  lineColumns: {
    label: "Désignation",
    quantity: "Qté",
    unitPrice: "PU HT",
    vatRate: "Taux de TVA",
    vat: "TVA",
    net: "HT",
    gross: "TTC",
  },
  totalNet: "Total HT",
  totalVat: "TVA",
  totalGross: "Total TTC",
  legalMentions: "Mentions portées sur la facture",
  createAs: "La créer en",
  modes: {
    draft: "Brouillon, à relire dans le logiciel comptable",
    finalized: "Facture définitive, numérotée tout de suite",
  },
  createInvoice: "Créer la facture",
  confirmTitle: (mode, amount, customer) =>
    `Créer une facture ${mode === "draft" ? "brouillon" : "définitive"} de ${amount} pour ${customer}\u00a0?`,
  finalizedWarning:
    "Une facture définitive reçoit son numéro tout de suite et ne peut plus être supprimée, seulement annulée par un avoir.",
  confirm: "Confirmer",
  cancel: "Annuler",
  createdTitle: (number) => (number ? `Facture ${number} créée` : "Brouillon de facture créé"),
  alreadyInvoicedTitle: "Cette affaire est déjà facturée",
  fieldErrorsTitle: "À compléter avant de facturer",
  fieldErrorsBody: "Rien n'a été envoyé à votre logiciel comptable.",
  fieldLabel: (field) => {
    const line = FIELD_LINE.exec(field);
    if (line) {
      const parts: Record<string, string> = {
        quantity: "quantité",
        price: "prix unitaire",
        discount: "remise",
        vatCode: "taux de TVA",
        label: "désignation",
      };
      return `Ligne ${Number(line[1]) + 1}\u00a0: ${parts[line[2] ?? ""] ?? line[2]}`;
    }
    const labels: Record<string, string> = {
      "customer.siren": "SIREN de l'entreprise",
      "customer.siret": "SIRET de l'entreprise",
      "customer.vatNumber": "N° de TVA intracommunautaire",
      "customer.billingAddress": "Adresse de facturation",
      operationNature: "Nature de l'opération",
    };
    return labels[field] ?? field;
  },
  createFailedTitle: "La facture n'a pas été créée",
};

const CATALOGUE: Record<Language, CardMessages> = { en, fr };

export interface Translator {
  readonly language: Language;
  readonly intlLocale: string;
  readonly m: CardMessages;
  readonly f: Formats;
  /** What to tell the user about a backend error: our words for known codes, else the backend's. */
  readonly errorText: (error: { code: string; message: string }) => string;
}

export function translatorFor(userLocale: string | undefined): Translator {
  const language = languageOf(userLocale);
  const intlLocale = intlLocaleOf(userLocale);
  const m = CATALOGUE[language];
  return {
    language,
    intlLocale,
    m,
    f: formatsFor(intlLocale),
    errorText: (error) => m.errors[error.code] ?? error.message,
  };
}

/** "12 days", "3 days early", or a dash when there is nothing to measure. */
export function daysText(t: Translator, days: number | null): string {
  if (days === null) return t.m.notAvailable;
  const count = t.f.dayCount(Math.abs(days));
  return days < 0 ? t.m.daysEarly(count.text, count.plural) : t.m.days(count.text, count.plural);
}

/** An amount, unless the user's teams may not see amounts (the backend zeroed them). */
export function amountText(
  t: Translator,
  visible: boolean,
  cents: number,
  currency: string,
): string {
  return visible ? t.f.money(cents, currency) : t.m.hiddenAmount;
}
