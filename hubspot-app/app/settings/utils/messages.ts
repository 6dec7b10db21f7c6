/**
 * The settings page's words in French and English; the language follows the user's locale
 * as on the cards (cards/utils/i18n.ts).
 */
import type { DunningAction } from "@encaisse/shared";
import { type Language, languageOf } from "../../cards/utils/i18n.ts";

type ConnectionStatus = "connected" | "disconnected" | "error";
type SyncState = "idle" | "queued" | "running" | "failed";

export interface SettingsMessages {
  title: string;
  loading: string;
  loadFailedTitle: string;

  connectionsTitle: string;
  connectionStatuses: Record<ConnectionStatus, string>;
  connectedCompany: (company: string) => string;
  connectedOn: (date: string) => string;
  lastSync: (age: string) => string;
  neverSynced: string;
  connectWithOAuth: (provider: string) => string;
  continueToProvider: (provider: string) => string;
  authorizeHint: string;
  checkConnections: string;
  apiTokenLabel: string;
  apiTokenDescription: string;
  apiTokenMalformed: string;
  connectWithToken: string;
  disconnect: string;
  disconnectQuestion: (provider: string) => string;
  disconnectConsequence: string;
  confirmDisconnect: string;
  cancel: string;
  actionFailedTitle: string;

  syncTitle: string;
  syncStates: Record<SyncState, string>;
  backfill: (done: string, total: string | null) => string;
  eta: (duration: string) => string;
  syncUnavailable: string;

  invoicingTitle: string;
  invoiceModeLabel: string;
  invoiceModes: Record<"draft" | "finalized", string>;
  autoInvoice: string;
  autoInvoiceDescription: string;

  dunningTitle: string;
  dunningDescription: string;
  stepNumber: (position: number) => string;
  stepId: string;
  offsetDays: string;
  action: string;
  actions: Record<DunningAction, string>;
  citesPenalties: string;
  addStep: string;
  removeStep: string;
  problems: { id: string; offsetDays: string; ladderSize: string };
  dunningLocaleLabel: string;
  dunningLocaleDescription: string;
  dunningLocales: Record<"fr" | "en", string>;

  visibilityTitle: string;
  everyoneSeesAmounts: string;
  teamsLabel: string;
  teamFallback: (id: string) => string;
  noTeamsKnown: string;

  save: string;
  saved: string;
  saveFailedTitle: string;
  fixProblems: string;
}

const en: SettingsMessages = {
  title: "Encaisse settings",
  loading: "Loading the settings…",
  loadFailedTitle: "The settings could not be loaded",

  connectionsTitle: "Accounting software",
  connectionStatuses: { connected: "Connected", disconnected: "Not connected", error: "Failing" },
  connectedCompany: (company) => `Company: ${company}`,
  connectedOn: (date) => `Connected on ${date}`,
  lastSync: (age) => `Last sync ${age}`,
  neverSynced: "Never synced",
  connectWithOAuth: (provider) => `Connect with ${provider}`,
  continueToProvider: (provider) => `Continue to ${provider}`,
  authorizeHint: "Approve the access in the new tab, then check the connection here.",
  checkConnections: "Check the connection",
  apiTokenLabel: "Or paste a Pennylane API token",
  apiTokenDescription:
    "A company API token from Pennylane's developer settings, with read and write access to customers and invoices.",
  apiTokenMalformed: "This does not look like a Pennylane API token.",
  connectWithToken: "Connect with this token",
  disconnect: "Disconnect",
  disconnectQuestion: (provider) => `Disconnect ${provider}?`,
  disconnectConsequence:
    "Cards stop showing its invoices and nothing is synced until it is connected again.",
  confirmDisconnect: "Disconnect",
  cancel: "Cancel",
  actionFailedTitle: "That did not work",

  syncTitle: "Synchronisation",
  syncStates: { idle: "Up to date", queued: "Queued", running: "Running", failed: "Failed" },
  backfill: (done, total) =>
    total === null ? `${done} invoices imported` : `${done} of ${total} invoices imported`,
  eta: (duration) => `about ${duration} left`,
  syncUnavailable: "The synchronisation status is not available right now.",

  invoicingTitle: "Invoicing",
  invoiceModeLabel: "Invoices created from deals are",
  invoiceModes: {
    draft: "Drafts, to review in the accounting software",
    finalized: "Finalized and numbered at once",
  },
  autoInvoice: "Invoice automatically when a deal is won",
  autoInvoiceDescription: "The invoice is created as soon as the deal moves to a won stage.",

  dunningTitle: "Dunning plan",
  dunningDescription:
    "The reminders a rep gets on a late invoice, counted in days after its due date.",
  stepNumber: (position) => `Step ${position}`,
  stepId: "Step id",
  offsetDays: "Days after the due date",
  action: "Action",
  actions: {
    courteous_email: "Courteous reminder email",
    call: "Phone call",
    firm_notice: "Firm reminder",
    formal_notice: "Formal notice",
  },
  citesPenalties: "Cites the late-payment penalties",
  addStep: "Add a step",
  removeStep: "Remove",
  problems: {
    id: "Lowercase letters, digits and hyphens, different for each step.",
    offsetDays: "A whole number of days from 1 to 365, after the previous step's.",
    ladderSize: "A plan has between 1 and 10 steps.",
  },
  dunningLocaleLabel: "Language of the dunning tasks",
  dunningLocaleDescription: "The tasks and reminder texts reps get are written in this language.",
  dunningLocales: { fr: "Français", en: "English" },

  visibilityTitle: "Who sees amounts on the cards",
  everyoneSeesAmounts: "Everyone",
  teamsLabel: "Only these teams",
  teamFallback: (id) => `Team ${id}`,
  noTeamsKnown: "You are in no HubSpot team: only teams you belong to can be chosen here.",

  save: "Save",
  saved: "Settings saved",
  saveFailedTitle: "The settings were not saved",
  fixProblems: "Fix the fields marked above, then save.",
};

const fr: SettingsMessages = {
  title: "Paramètres d'Encaisse",
  loading: "Chargement des paramètres…",
  loadFailedTitle: "Impossible de charger les paramètres",

  connectionsTitle: "Logiciel comptable",
  connectionStatuses: { connected: "Connecté", disconnected: "Non connecté", error: "En échec" },
  connectedCompany: (company) => `Société\u00a0: ${company}`,
  connectedOn: (date) => `Connecté le ${date}`,
  lastSync: (age) => `Dernière synchronisation ${age}`,
  neverSynced: "Jamais synchronisé",
  connectWithOAuth: (provider) => `Se connecter avec ${provider}`,
  continueToProvider: (provider) => `Continuer vers ${provider}`,
  authorizeHint: "Autorisez l'accès dans le nouvel onglet, puis vérifiez la connexion ici.",
  checkConnections: "Vérifier la connexion",
  apiTokenLabel: "Ou collez un jeton d'API Pennylane",
  apiTokenDescription:
    "Un jeton d'API société créé dans les paramètres développeurs de Pennylane, avec accès en lecture et écriture aux clients et factures.",
  apiTokenMalformed: "Cela ne ressemble pas à un jeton d'API Pennylane.",
  connectWithToken: "Connecter avec ce jeton",
  disconnect: "Déconnecter",
  disconnectQuestion: (provider) => `Déconnecter ${provider}\u00a0?`,
  disconnectConsequence:
    "Les cartes n'afficheront plus ses factures et rien ne sera synchronisé jusqu'à la prochaine connexion.",
  confirmDisconnect: "Déconnecter",
  cancel: "Annuler",
  actionFailedTitle: "Cela n'a pas fonctionné",

  syncTitle: "Synchronisation",
  syncStates: { idle: "À jour", queued: "En attente", running: "En cours", failed: "En échec" },
  backfill: (done, total) =>
    total === null ? `${done} factures importées` : `${done} factures importées sur ${total}`,
  eta: (duration) => `encore environ ${duration}`,
  syncUnavailable: "L'état de la synchronisation n'est pas disponible pour le moment.",

  invoicingTitle: "Facturation",
  invoiceModeLabel: "Les factures créées depuis les affaires sont",
  invoiceModes: {
    draft: "Des brouillons, à relire dans le logiciel comptable",
    finalized: "Définitives et numérotées tout de suite",
  },
  autoInvoice: "Facturer automatiquement quand une affaire est gagnée",
  autoInvoiceDescription: "La facture est créée dès que l'affaire passe à une étape gagnée.",

  dunningTitle: "Plan de relance",
  dunningDescription:
    "Les relances proposées au commercial sur une facture en retard, en jours après l'échéance.",
  stepNumber: (position) => `Étape ${position}`,
  stepId: "Identifiant",
  offsetDays: "Jours après l'échéance",
  action: "Action",
  actions: {
    courteous_email: "E-mail de relance courtoise",
    call: "Appel téléphonique",
    firm_notice: "Relance ferme",
    formal_notice: "Mise en demeure",
  },
  citesPenalties: "Mentionne les pénalités de retard",
  addStep: "Ajouter une étape",
  removeStep: "Supprimer",
  problems: {
    id: "Lettres minuscules, chiffres et tirets, différent pour chaque étape.",
    offsetDays: "Un nombre entier de jours de 1 à 365, après celui de l'étape précédente.",
    ladderSize: "Un plan compte entre 1 et 10 étapes.",
  },
  dunningLocaleLabel: "Langue des tâches de relance",
  dunningLocaleDescription:
    "Les tâches et les textes de relance proposés aux commerciaux sont rédigés dans cette langue.",
  dunningLocales: { fr: "Français", en: "English" },

  visibilityTitle: "Qui voit les montants sur les cartes",
  everyoneSeesAmounts: "Tout le monde",
  teamsLabel: "Seulement ces équipes",
  teamFallback: (id) => `Équipe ${id}`,
  noTeamsKnown:
    "Vous n'êtes dans aucune équipe HubSpot\u00a0: seules vos équipes peuvent être choisies ici.",

  save: "Enregistrer",
  saved: "Paramètres enregistrés",
  saveFailedTitle: "Les paramètres n'ont pas été enregistrés",
  fixProblems: "Corrigez les champs signalés ci-dessus, puis enregistrez.",
};

const CATALOGUE: Record<Language, SettingsMessages> = { en, fr };

export function settingsMessagesFor(userLocale: string | undefined): SettingsMessages {
  return CATALOGUE[languageOf(userLocale)];
}
