/** The words of the settings page's "browser extension" section, in French and English. */
import { type Language, languageOf } from "../../cards/utils/i18n.ts";

export interface ExtensionMessages {
  title: string;
  intro: string;
  generate: string;
  generateAgain: string;
  codeLabel: string;
  codeHint: (time: string) => string;
  pairedTitle: string;
  nonePaired: string;
  unknownUser: string;
  pairedOn: (date: string) => string;
  lastUsed: (age: string) => string;
  neverUsed: string;
  refresh: string;
  revoke: string;
  failedTitle: string;
}

const en: ExtensionMessages = {
  title: "Browser extension",
  intro:
    "The Encaisse extension shows the HubSpot company, its deals and its receivables beside Pennylane and Sage Active. Pair it with a one-time code.",
  generate: "Generate a pairing code",
  generateAgain: "Generate a new code",
  codeLabel: "Pairing code",
  codeHint: (time) =>
    `Type it in the Encaisse extension before ${time}. It works once; generating another one cancels it.`,
  pairedTitle: "Paired extensions",
  nonePaired: "No extension is paired with this HubSpot account.",
  unknownUser: "Unknown user",
  pairedOn: (date) => `paired on ${date}`,
  lastUsed: (age) => `last used ${age} ago`,
  neverUsed: "never used",
  refresh: "Refresh",
  revoke: "Revoke",
  failedTitle: "The extension settings could not be updated",
};

const fr: ExtensionMessages = {
  title: "Extension de navigateur",
  intro:
    "L'extension Encaisse affiche l'entreprise HubSpot, ses transactions et ses encours à côté de Pennylane et de Sage Active. Associez-la avec un code à usage unique.",
  generate: "Générer un code d'association",
  generateAgain: "Générer un nouveau code",
  codeLabel: "Code d'association",
  codeHint: (time) =>
    `Saisissez-le dans l'extension Encaisse avant ${time}. Il ne sert qu'une fois\u00a0; en générer un autre l'annule.`,
  pairedTitle: "Extensions associées",
  nonePaired: "Aucune extension n'est associée à ce compte HubSpot.",
  unknownUser: "Utilisateur inconnu",
  pairedOn: (date) => `associée le ${date}`,
  lastUsed: (age) => `utilisée il y a ${age}`,
  neverUsed: "jamais utilisée",
  refresh: "Actualiser",
  revoke: "Révoquer",
  failedTitle: "Les réglages de l'extension n'ont pas pu être modifiés",
};

const CATALOGUE: Record<Language, ExtensionMessages> = { en, fr };

export function extensionMessagesFor(userLocale: string | undefined): ExtensionMessages {
  return CATALOGUE[languageOf(userLocale)];
}
