/**
 * Everything the background worker does, as plain functions of its dependencies: the
 * Plasmo message handlers and the worker's event listeners are one-line calls into these.
 */
import { type BackendClient, type ContextQuery, createBackendClient } from "../api/client";
import { BackendError } from "../api/errors";
import { backendUrl, type BackendUrlSettings, BUILD_BACKEND_SETTINGS } from "./backend-url";
import { forgetPairing, loadPairing, savePairing, statusOf } from "./pairing";
import type {
  ContextRequest,
  MessageAnswer,
  MessageBody,
  MessageName,
  Outcome,
  OutcomeError,
} from "./protocol";
import {
  disablePanelEverywhere,
  disablePanelInTab,
  enablePanelInTab,
  type SidePanelApi,
  tabShowsAccountingSite,
} from "./side-panel";
import type { KeyValueStore } from "./store";
import { forgetTab, recordPage } from "./tab-context";

export interface BackgroundDependencies {
  /** chrome.storage.local: the pairing. */
  readonly local: KeyValueStore;
  /** chrome.storage.session: what each tab shows. */
  readonly session: KeyValueStore;
  readonly sidePanel: SidePanelApi;
  readonly fetch?: typeof fetch;
  readonly backendSettings?: BackendUrlSettings;
  readonly now?: () => Date;
}

/** Who sent a message: content scripts come with their tab, extension pages without one. */
export interface MessageSender {
  readonly tab?: { readonly id?: number };
}

function failure(error: unknown): { ok: false; error: OutcomeError } {
  if (error instanceof BackendError) {
    return {
      ok: false,
      error: {
        code: error.code,
        message: error.message,
        retryAfterSeconds: error.details.retryAfterSeconds,
      },
    };
  }
  return {
    ok: false,
    error: {
      code: "INTERNAL",
      message: "Something went wrong in the extension.",
      retryAfterSeconds: null,
    },
  };
}

function queryOf(request: ContextRequest): ContextQuery {
  if ("hubspotCompanyId" in request) return { hubspotCompanyId: request.hubspotCompanyId };
  const { provider, target } = request;
  switch (target.kind) {
    case "customer":
      return { provider, customerId: target.customerId };
    case "invoice":
      return { provider, invoiceId: target.invoiceId };
    case "invoice_number":
      return { provider, invoiceNumber: target.invoiceNumber };
    case "siren":
      return { provider, siren: target.siren };
  }
}

export function createBackground(dependencies: BackgroundDependencies) {
  const { local, session, sidePanel } = dependencies;
  const settings = dependencies.backendSettings ?? BUILD_BACKEND_SETTINGS;
  const now = dependencies.now ?? (() => new Date());

  async function client(token: string | null): Promise<BackendClient> {
    return createBackendClient({
      baseUrl: await backendUrl(settings),
      token,
      ...(dependencies.fetch ? { fetch: dependencies.fetch } : {}),
    });
  }

  /** Runs a call that needs the pairing; a SIGNED_OUT answer forgets it. */
  async function paired<T>(call: (backend: BackendClient) => Promise<T>): Promise<Outcome<T>> {
    const pairing = await loadPairing(local);
    if (!pairing) return failure(new BackendError("SIGNED_OUT", "Not paired.", null));
    try {
      return { ok: true, value: await call(await client(pairing.token)) };
    } catch (error) {
      if (error instanceof BackendError && error.code === "SIGNED_OUT") await forgetPairing(local);
      return failure(error);
    }
  }

  const messages: {
    [N in MessageName]: (body: MessageBody<N>, sender: MessageSender) => Promise<MessageAnswer<N>>;
  } = {
    "page-detected": async (detection, sender) => {
      const tabId = sender.tab?.id;
      if (tabId === undefined) return { enabled: false };
      await recordPage(session, tabId, detection);
      await enablePanelInTab(sidePanel, tabId);
      return { enabled: true };
    },
    "session-status": async () => ({ ok: true, value: statusOf(await loadPairing(local)) }),
    pair: async ({ code }) => {
      try {
        const answer = await (await client(null)).pair(code);
        const pairing = {
          token: answer.token,
          portalId: answer.portalId,
          userEmail: answer.userEmail,
          pairedAt: now().toISOString(),
        };
        await savePairing(local, pairing);
        return { ok: true, value: statusOf(pairing) };
      } catch (error) {
        return failure(error);
      }
    },
    "sign-out": async () => {
      await forgetPairing(local);
      return { ok: true, value: statusOf(null) };
    },
    "hubspot-context": (request) => paired((backend) => backend.context(queryOf(request))),
    "search-companies": ({ text }) => paired((backend) => backend.search(text)),
    "log-note": (request) => paired((backend) => backend.logNote(request)),
    "create-task": (request) => paired((backend) => backend.createTask(request)),
  };

  return {
    messages,
    /** Worker start: no panel until a content script reports an accounting page. */
    start: () => disablePanelEverywhere(sidePanel),
    /** A tab changed address; off an accounting site its panel and context go. */
    async tabUpdated(tabId: number, url: string | undefined, loading: boolean): Promise<void> {
      if (!loading || tabShowsAccountingSite(url)) return;
      await disablePanelInTab(sidePanel, tabId);
      await forgetTab(session, tabId);
    },
    tabRemoved: (tabId: number) => forgetTab(session, tabId),
  };
}

export type Background = ReturnType<typeof createBackground>;
