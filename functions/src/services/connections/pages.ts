/**
 * The small pages a browser lands on at the end of an install or connection: French first,
 * then English, no external asset, every value escaped. Errors say what happened and what
 * to do, with the code for support; nothing internal.
 */
import { DomainError } from "@encaisse/shared";
import { errorStatus } from "@encaisse/shared/contracts";

export interface Bilingual {
  readonly fr: string;
  readonly en: string;
}

export interface PageLink {
  readonly href: string;
  readonly label: Bilingual;
}

export interface ResultPage {
  readonly outcome: "success" | "error";
  readonly title: Bilingual;
  readonly paragraphs: readonly Bilingual[];
  readonly links?: readonly PageLink[];
  /** The error code, shown for support. */
  readonly code?: string;
}

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ESCAPES[character] ?? character);
}

/** Only web links: a `javascript:` URL must never reach an href. */
function safeHref(href: string): string | null {
  if (!URL.canParse(href)) return null;
  const url = new URL(href);
  return url.protocol === "https:" || url.protocol === "http:" ? url.toString() : null;
}

const STYLE = [
  "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:0;background:#f5f8fa;color:#33475b}",
  "main{max-width:36rem;margin:3rem auto;padding:2rem;background:#fff;border-radius:8px;border-top:6px solid var(--accent)}",
  "h1{font-size:1.4rem;margin:0 0 1rem}",
  "section+section{margin-top:1.5rem;padding-top:1.5rem;border-top:1px solid #dfe3eb}",
  "a{color:#0b6fbf}",
  ".code{font-family:ui-monospace,monospace;color:#516f90;font-size:.9rem}",
].join("");

function section(page: ResultPage, language: keyof Bilingual): string {
  const paragraphs = page.paragraphs.map((text) => `<p>${escapeHtml(text[language])}</p>`);
  const links = (page.links ?? []).flatMap((link) => {
    const href = safeHref(link.href);
    return href === null
      ? []
      : [`<p><a href="${escapeHtml(href)}">${escapeHtml(link.label[language])}</a></p>`];
  });
  const code =
    page.code === undefined
      ? []
      : [
          `<p class="code">${language === "fr" ? "Code pour le support :" : "Code for support:"} ${escapeHtml(page.code)}</p>`,
        ];
  return [
    `<section lang="${language}">`,
    `<h1>${escapeHtml(page.title[language])}</h1>`,
    ...paragraphs,
    ...links,
    ...code,
    "</section>",
  ].join("");
}

export function renderPage(page: ResultPage): string {
  const accent = page.outcome === "success" ? "#00a38d" : "#d94c53";
  return [
    "<!doctype html>",
    '<html lang="fr"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width,initial-scale=1">',
    `<title>Encaisse — ${escapeHtml(page.title.fr)}</title>`,
    `<style>:root{--accent:${accent}}${STYLE}</style>`,
    "</head><body><main>",
    section(page, "fr"),
    section(page, "en"),
    "</main></body></html>",
  ].join("");
}

export function pageResponse(page: ResultPage, status = 200): Response {
  return new Response(renderPage(page), {
    status,
    headers: {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store",
      // The URL carried a one-time code: keep it out of referrers and frames.
      "referrer-policy": "no-referrer",
      "x-frame-options": "DENY",
      "content-security-policy":
        "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    },
  });
}

const START_AGAIN: Bilingual = {
  fr: "Recommencez depuis HubSpot : le lien de connexion est valable 10 minutes et ne sert qu'une fois.",
  en: "Start again from HubSpot: the sign-in link is valid for 10 minutes and works once.",
};

/** What the user reads for the errors they can do something about. */
const EXPLANATIONS: Readonly<Record<string, readonly Bilingual[]>> = {
  OAUTH_STATE_INVALID: [
    { fr: "Ce lien de connexion n'est pas valide.", en: "This sign-in link is not valid." },
    START_AGAIN,
  ],
  OAUTH_STATE_EXPIRED: [
    { fr: "Ce lien de connexion a expiré.", en: "This sign-in link has expired." },
    START_AGAIN,
  ],
  OAUTH_STATE_REUSED: [
    { fr: "Ce lien de connexion a déjà servi.", en: "This sign-in link was already used." },
    START_AGAIN,
  ],
  OAUTH_ACCESS_DENIED: [
    {
      fr: "L'accès n'a pas été accordé : rien n'a été connecté.",
      en: "Access was not granted: nothing was connected.",
    },
    START_AGAIN,
  ],
  TENANT_NOT_INSTALLED: [
    {
      fr: "Encaisse n'est pas installé sur ce compte HubSpot. Installez l'application depuis la marketplace HubSpot, puis connectez votre logiciel comptable.",
      en: "Encaisse is not installed on this HubSpot account. Install the app from the HubSpot marketplace, then connect your accounting software.",
    },
  ],
  SAGE_NO_USABLE_ORGANIZATION: [
    {
      fr: "Aucune société Sage Active prête à l'emploi pour cet utilisateur (abonnement ou configuration initiale incomplète). Terminez la configuration dans Sage Active ou connectez-vous avec un autre utilisateur.",
      en: "No Sage Active organization is ready for use for this user (subscription or onboarding incomplete). Finish the setup in Sage Active, or sign in with another user.",
    },
  ],
};

/** The page for a failed callback, with the status the error maps to. */
export function errorPage(error: unknown): { page: ResultPage; status: number } {
  const title: Bilingual = { fr: "La connexion n'a pas abouti", en: "The connection failed" };
  if (!(error instanceof DomainError)) {
    return {
      status: 500,
      page: {
        outcome: "error",
        title,
        paragraphs: [
          {
            fr: "Un problème de notre côté a interrompu la connexion ; rien n'a été enregistré. Réessayez dans un instant.",
            en: "Something went wrong on our side; nothing was saved. Try again in a moment.",
          },
        ],
        code: "INTERNAL",
      },
    };
  }
  const explained = EXPLANATIONS[error.code];
  return {
    status: errorStatus(error.code),
    page: {
      outcome: "error",
      title,
      paragraphs: explained ?? [
        {
          fr: "Le service a refusé ou n'a pas pu terminer la connexion ; rien n'a été enregistré. Le détail (en anglais) est ci-dessous ; réessayez depuis HubSpot.",
          en: error.message,
        },
      ],
      code: error.code,
    },
  };
}
