/**
 * The panel's words in French and English, from the browser's language: French for "fr*",
 * English otherwise (a German or Spanish browser reads English more easily than French).
 * Values arrive formatted (format.ts); messages only place them.
 */
import type { Provider } from "@encaisse/shared";
import { INVOICE_STATUS_LABELS } from "@encaisse/shared/labels";
import type { ContextResponse } from "../api/client";

export type Language = "fr" | "en";

export function languageOf(browserLanguage: string | undefined): Language {
  return /^\s*fr\b/i.test(browserLanguage ?? "") ? "fr" : "en";
}

export function intlLocaleOf(language: Language): string {
  return language === "fr" ? "fr-FR" : "en-GB";
}

type OkContext = Extract<ContextResponse, { state: "ok" }>;
type DunningStep = NonNullable<NonNullable<OkContext["receivables"]>["dunningStep"]>;

export const PROVIDER_NAMES: Record<Provider, string> = {
  pennylane: "Pennylane",
  sage_active: "Sage Active",
};

const fr = {
  title: "Encaisse",
  loading: "Chargement du contexte HubSpot…",
  retry: "Réessayer",
  pairTitle: "Connecter l’extension",
  pairIntro:
    "Dans HubSpot, ouvrez Paramètres › Encaisse › Extension navigateur et générez un code d’appairage, puis saisissez-le ici.",
  pairRevoked: "L’appairage a été révoqué ou a expiré : saisissez un nouveau code.",
  pairCode: "Code d’appairage",
  pairButton: "Appairer",
  pairing: "Appairage…",
  signedInAs: (who: string) => `Connecté : ${who}`,
  signOut: "Se déconnecter",
  noPageTitle: "Aucun client ni facture détecté",
  noPageBody: (provider: string) =>
    `Ouvrez une fiche client ou une facture dans ${provider}, ou cherchez l’entreprise dans HubSpot.`,
  notMatchedTitle: "Client non relié à HubSpot",
  notMatchedBody: "Ce client n’est relié à aucune entreprise HubSpot. Cherchez-la :",
  notFoundTitle: "Inconnu d’Encaisse",
  notFoundBody:
    "Ce client ou cette facture n’est pas encore connu d’Encaisse (il apparaîtra après la prochaine synchronisation). Cherchez l’entreprise :",
  searchLabel: "Nom, SIREN ou numéro de facture",
  searchButton: "Chercher",
  searchInvoiceNumber: (text: string) => `Chercher la facture « ${text} »`,
  searching: "Recherche…",
  noResults: "Aucune entreprise trouvée.",
  searchTooShort: "Saisissez au moins 2 caractères.",
  sirenLabel: "SIREN",
  backToResults: "Retour aux résultats",
  company: "Entreprise",
  openInHubSpot: "Ouvrir dans HubSpot",
  owner: "Propriétaire",
  noOwner: "Aucun propriétaire",
  receivables: "Encours",
  receivablesNotMatched:
    "Non relié : aucun client du logiciel comptable n’est relié à cette entreprise.",
  outstanding: "Restant dû",
  overdue: "En retard",
  averageDelay: "Retard moyen",
  dunningStep: "Étape de relance",
  noDunning: "Aucune",
  invoice: (number: string) => `Facture ${number}`,
  draftInvoice: "Facture brouillon",
  remaining: "Reste à payer",
  dueOn: (date: string) => `Échéance ${date}`,
  openDeals: "Transactions ouvertes",
  noDeals: "Aucune transaction ouverte.",
  closeOn: (date: string) => `Clôture ${date}`,
  contacts: "Contacts clés",
  noContacts: "Aucun contact associé.",
  lastActivity: "Dernière activité",
  noActivity: "Aucune activité enregistrée",
  logNote: "Ajouter une note",
  noteLabel: "Note sur l’entreprise",
  saveNote: "Enregistrer la note",
  noteSaved: "Note ajoutée.",
  createTask: "Créer une tâche de suivi",
  taskSubject: "Objet",
  taskDefaultSubject: (company: string) => `Relancer ${company}`,
  taskDue: "Échéance",
  taskBody: "Détails (facultatif)",
  saveTask: "Créer la tâche pour le propriétaire",
  taskSaved: "Tâche créée.",
  viewInHubSpot: "Voir dans HubSpot",
  saving: "Enregistrement…",
  errorTitle: "Impossible d’afficher le contexte",
  errors: {
    NETWORK: "Le serveur Encaisse est injoignable. Vérifiez votre connexion.",
    TIMEOUT: "Le serveur Encaisse n’a pas répondu à temps.",
    INVALID_RESPONSE: "Réponse inattendue du serveur Encaisse.",
    PAIRING_CODE_INVALID: "Code invalide ou expiré : générez-en un nouveau dans HubSpot.",
    VALIDATION_FAILED: "Saisie invalide.",
    PROVIDER_NOT_CONNECTED: "Le logiciel comptable n’est pas connecté à Encaisse.",
    HUBSPOT_UNAVAILABLE: "HubSpot est momentanément indisponible.",
    INTERNAL: "Une erreur inattendue est survenue.",
  } as Record<string, string>,
  rateLimited: (seconds: number) => `Trop de requêtes : réessayez dans ${seconds} s.`,
  errorCode: (code: string) => `Code : ${code}`,
  dunning: {
    courteous_email: "Relance courtoise",
    call: "Appel",
    firm_notice: "Relance ferme",
    formal_notice: "Mise en demeure",
  } satisfies Record<DunningStep, string>,
  status: INVOICE_STATUS_LABELS.fr,
};

export type PanelMessages = typeof fr;

const en: PanelMessages = {
  title: "Encaisse",
  loading: "Loading HubSpot context…",
  retry: "Try again",
  pairTitle: "Connect the extension",
  pairIntro:
    "In HubSpot, open Settings › Encaisse › Browser extension and generate a pairing code, then enter it here.",
  pairRevoked: "This pairing was revoked or has expired: enter a new code.",
  pairCode: "Pairing code",
  pairButton: "Pair",
  pairing: "Pairing…",
  signedInAs: (who) => `Signed in: ${who}`,
  signOut: "Sign out",
  noPageTitle: "No customer or invoice detected",
  noPageBody: (provider) =>
    `Open a customer or an invoice in ${provider}, or search for the company in HubSpot.`,
  notMatchedTitle: "Customer not linked to HubSpot",
  notMatchedBody: "This customer is not linked to a HubSpot company. Search for it:",
  notFoundTitle: "Unknown to Encaisse",
  notFoundBody:
    "Encaisse does not know this customer or invoice yet (it will appear after the next sync). Search for the company:",
  searchLabel: "Name, SIREN or invoice number",
  searchButton: "Search",
  searchInvoiceNumber: (text) => `Look up invoice “${text}”`,
  searching: "Searching…",
  noResults: "No company found.",
  searchTooShort: "Type at least 2 characters.",
  sirenLabel: "SIREN",
  backToResults: "Back to results",
  company: "Company",
  openInHubSpot: "Open in HubSpot",
  owner: "Owner",
  noOwner: "No owner",
  receivables: "Receivables",
  receivablesNotMatched:
    "Not matched: no customer of the accounting software is linked to this company.",
  outstanding: "Outstanding",
  overdue: "Overdue",
  averageDelay: "Average delay",
  dunningStep: "Dunning step",
  noDunning: "None",
  invoice: (number) => `Invoice ${number}`,
  draftInvoice: "Draft invoice",
  remaining: "Left to pay",
  dueOn: (date) => `Due ${date}`,
  openDeals: "Open deals",
  noDeals: "No open deals.",
  closeOn: (date) => `Closes ${date}`,
  contacts: "Key contacts",
  noContacts: "No associated contacts.",
  lastActivity: "Last activity",
  noActivity: "No recorded activity",
  logNote: "Log a note",
  noteLabel: "Note on the company",
  saveNote: "Save note",
  noteSaved: "Note logged.",
  createTask: "Create a follow-up task",
  taskSubject: "Subject",
  taskDefaultSubject: (company) => `Follow up with ${company}`,
  taskDue: "Due date",
  taskBody: "Details (optional)",
  saveTask: "Create task for the owner",
  taskSaved: "Task created.",
  viewInHubSpot: "View in HubSpot",
  saving: "Saving…",
  errorTitle: "The context cannot be shown",
  errors: {
    NETWORK: "The Encaisse server cannot be reached. Check your connection.",
    TIMEOUT: "The Encaisse server did not answer in time.",
    INVALID_RESPONSE: "Unexpected answer from the Encaisse server.",
    PAIRING_CODE_INVALID: "Invalid or expired code: generate a new one in HubSpot.",
    VALIDATION_FAILED: "Invalid input.",
    PROVIDER_NOT_CONNECTED: "The accounting software is not connected to Encaisse.",
    HUBSPOT_UNAVAILABLE: "HubSpot is unavailable for a moment.",
    INTERNAL: "Something unexpected went wrong.",
  },
  rateLimited: (seconds) => `Too many requests: try again in ${seconds} s.`,
  errorCode: (code) => `Code: ${code}`,
  dunning: {
    courteous_email: "Courteous reminder",
    call: "Phone call",
    firm_notice: "Firm reminder",
    formal_notice: "Formal notice",
  },
  status: INVOICE_STATUS_LABELS.en,
};

export function messagesFor(language: Language): PanelMessages {
  return language === "fr" ? fr : en;
}
