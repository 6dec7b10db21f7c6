/**
 * Where browsers come and go during the install and connection flows (not signed by HubSpot:
 * every callback is trusted only through its signed, single-use `state`). Each answers a
 * small bilingual page saying what happened and what to do next.
 */
import { type Context, Hono } from "hono";
import { z } from "zod";
import { DomainError } from "@encaisse/shared";
import type { AppEnv } from "../app";
import { type Backend, OAUTH_CALLBACK_PATHS } from "../backend";
import { completeHubSpotInstall } from "../services/connections/hubspot-install";
import {
  consumeOAuthState,
  issueOAuthState,
  type OAuthFlow,
} from "../services/connections/oauth-state";
import {
  type Bilingual,
  errorPage,
  type PageLink,
  pageResponse,
} from "../services/connections/pages";
import {
  type CompletedProviderOAuth,
  completePennylaneOAuth,
  completeSageActiveOAuth,
} from "../services/connections/provider-oauth";

const callbackQuerySchema = z.union([
  z.object({ error: z.string().min(1).max(200), error_description: z.string().optional() }),
  z.object({ code: z.string().min(1).max(4096), state: z.string().min(1).max(4096) }),
]);

type Callback = { readonly code: string; readonly state: string };

/** The code and state of a callback, or why the provider sent the user back without one. */
function readCallback(query: Record<string, string>): Callback {
  const parsed = callbackQuerySchema.safeParse(query);
  if (!parsed.success) {
    throw new DomainError(
      "OAUTH_STATE_INVALID",
      "This sign-in link is incomplete; start the connection again from HubSpot.",
      { reason: "query" },
    );
  }
  if ("error" in parsed.data) {
    throw new DomainError("OAUTH_ACCESS_DENIED", "Access was not granted; nothing was connected.", {
      oauthError: parsed.data.error,
    });
  }
  return parsed.data;
}

function companiesLink(backend: Backend, portalId: string): PageLink {
  const base = backend.config.HUBSPOT_APP_URL.replace(/\/+$/, "");
  return {
    href: `${base}/contacts/${encodeURIComponent(portalId)}/objects/0-2/views/all/list`,
    label: { fr: "Ouvrir mes entreprises dans HubSpot", en: "Open my companies in HubSpot" },
  };
}

const PROVIDER_LABELS = { pennylane: "Pennylane", sage_active: "Sage Active" } as const;

function connectedParagraphs(completed: CompletedProviderOAuth): Bilingual[] {
  const { provider, companyName } = completed.connection;
  const label = PROVIDER_LABELS[provider];
  const paragraphs: Bilingual[] = [
    {
      fr: `${label} est connecté à Encaisse pour la société « ${companyName} ».`,
      en: `${label} is connected to Encaisse for the company "${companyName}".`,
    },
  ];
  if (completed.otherOrganizations.length > 0) {
    const others = completed.otherOrganizations.join(", ");
    paragraphs.push({
      fr: `Votre utilisateur Sage voit aussi : ${others}. Pour en utiliser une autre, déconnectez Sage Active dans les réglages d'Encaisse et reconnectez-vous avec un utilisateur qui ne voit qu'elle.`,
      en: `Your Sage user also sees: ${others}. To use another one, disconnect Sage Active in Encaisse's settings and reconnect with a user who sees only that one.`,
    });
  }
  paragraphs.push({
    fr: "Vous pouvez fermer cette page. Les factures apparaissent sur les fiches entreprise, contact et transaction de HubSpot, dans la carte Encaisse ; la première synchronisation peut prendre quelques minutes.",
    en: "You can close this page. Invoices appear on HubSpot company, contact and deal records, in the Encaisse card; the first sync may take a few minutes.",
  });
  return paragraphs;
}

export function oauthRoutes(backend: Backend): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();

  const failed = (error: unknown, flow: OAuthFlow): Response => {
    const { page, status } = errorPage(error);
    const code = error instanceof DomainError ? error.code : "UNEXPECTED";
    if (status >= 500) backend.logger.error("oauth callback failed", { flow, code });
    else backend.logger.warn("oauth callback refused", { flow, code });
    return pageResponse(page, status);
  };

  routes.get("/oauth/hubspot/install", (c) => {
    const state = issueOAuthState(backend, { flow: "hubspot", portalId: null, userId: null });
    return c.redirect(backend.hubspotOAuth.installUrl({ state }), 302);
  });

  routes.get(OAUTH_CALLBACK_PATHS.hubspot, async (c) => {
    try {
      const { code, state } = readCallback(c.req.query());
      await consumeOAuthState(backend, state, "hubspot");
      const installed = await completeHubSpotInstall(backend, code);
      const portalId = installed.tenant.tenantId;
      const paragraphs: Bilingual[] = [
        {
          fr: `Encaisse est installé sur votre compte HubSpot (${portalId}).`,
          en: `Encaisse is installed on your HubSpot account (${portalId}).`,
        },
        {
          fr: "Pour continuer : ouvrez une fiche entreprise, ajoutez la carte Encaisse à la vue de la fiche (Personnaliser), puis connectez Pennylane ou Sage Active dans les réglages de l'application Encaisse.",
          en: "Next: open a company record, add the Encaisse card to the record view (Customize), then connect Pennylane or Sage Active in the Encaisse app settings.",
        },
      ];
      if (!installed.propertiesReady) {
        paragraphs.push({
          fr: "Les propriétés Encaisse n'ont pas encore pu être créées dans HubSpot ; elles le seront à la première synchronisation.",
          en: "The Encaisse properties could not be created in HubSpot yet; the first sync will create them.",
        });
      }
      return pageResponse({
        outcome: "success",
        title: { fr: "Encaisse est installé", en: "Encaisse is installed" },
        paragraphs,
        links: [companiesLink(backend, portalId)],
      });
    } catch (error) {
      return failed(error, "hubspot");
    }
  });

  const providerCallback =
    (flow: "pennylane" | "sage_active", complete: typeof completePennylaneOAuth) =>
    async (c: Context<AppEnv>): Promise<Response> => {
      try {
        const { code, state } = readCallback(c.req.query());
        const verified = await consumeOAuthState(backend, state, flow);
        const completed = await complete(backend, verified, code);
        const label = PROVIDER_LABELS[flow];
        return pageResponse({
          outcome: "success",
          title: { fr: `${label} est connecté`, en: `${label} is connected` },
          paragraphs: connectedParagraphs(completed),
          links: [companiesLink(backend, completed.tenant.tenantId)],
        });
      } catch (error) {
        return failed(error, flow);
      }
    };

  routes.get(OAUTH_CALLBACK_PATHS.pennylane, providerCallback("pennylane", completePennylaneOAuth));
  routes.get(
    OAUTH_CALLBACK_PATHS.sage_active,
    providerCallback("sage_active", completeSageActiveOAuth),
  );

  return routes;
}
