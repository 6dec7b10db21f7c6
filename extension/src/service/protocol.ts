/**
 * The messages the background worker answers, shared by the content script, the side panel
 * and the handlers. Type-only on purpose: the panel imports these without pulling the backend
 * client (and zod) into its bundle.
 */
import type { Provider } from "@encaisse/shared";
import type {
  ContextResponse,
  CreatedEngagement,
  NoteRequest,
  SearchResponse,
  TaskRequest,
} from "../api/client";
import type { PageDetection, PageTarget } from "../detect/detection";

export type Outcome<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: OutcomeError };

export interface OutcomeError {
  /** A backend error code, or SIGNED_OUT / NETWORK / TIMEOUT / INVALID_RESPONSE / INTERNAL. */
  readonly code: string;
  readonly message: string;
  readonly retryAfterSeconds: number | null;
}

export interface SessionStatus {
  readonly signedIn: boolean;
  readonly portalId: string | null;
  readonly userEmail: string | null;
}

export type ContextRequest =
  | { readonly provider: Provider; readonly target: PageTarget }
  /** A HubSpot company picked in the panel's search. */
  | { readonly hubspotCompanyId: string };

/** Message name -> request body and answer; the names are the files in background/messages/. */
export interface BackgroundMessages {
  "page-detected": { body: PageDetection | null; answer: { enabled: boolean } };
  "session-status": { body: null; answer: Outcome<SessionStatus> };
  pair: { body: { code: string }; answer: Outcome<SessionStatus> };
  "sign-out": { body: null; answer: Outcome<SessionStatus> };
  "hubspot-context": { body: ContextRequest; answer: Outcome<ContextResponse> };
  "search-companies": { body: { text: string }; answer: Outcome<SearchResponse> };
  "log-note": { body: NoteRequest; answer: Outcome<CreatedEngagement> };
  "create-task": { body: TaskRequest; answer: Outcome<CreatedEngagement> };
}

export type MessageName = keyof BackgroundMessages;
export type MessageBody<N extends MessageName> = BackgroundMessages[N]["body"];
export type MessageAnswer<N extends MessageName> = BackgroundMessages[N]["answer"];

/** How a caller reaches the background: Plasmo messaging in the extension, direct in tests. */
export type SendToBackground = <N extends MessageName>(
  name: N,
  body: MessageBody<N>,
) => Promise<MessageAnswer<N>>;

/** Storage keys, in one place: pairing in `local`, per-tab page context in `session`. */
export const STORAGE_KEYS = {
  pairing: "pairing",
  backendOverride: "backendUrlOverride",
  lastDetectedTab: "lastDetectedTab",
  tab: (tabId: number) => `tab:${tabId}`,
} as const;
