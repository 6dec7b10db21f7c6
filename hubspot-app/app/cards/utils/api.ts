/**
 * The one way the cards and the settings page talk to the backend: `hubspot.fetch` (HubSpot
 * signs the call and adds portalId, userId, userEmail and appId), every answer parsed with
 * the shared contract of its endpoint, and every refusal turned into a `BackendError` that
 * carries the backend's code (`{ error: { code, message, details } }`).
 */
import { hubspot } from "@hubspot/ui-extensions";
import { z } from "zod";
import { DomainError, type Provider } from "@encaisse/shared";
import {
  type CardInvoicesResponse,
  type CreateInvoiceResponse,
  type EndpointName,
  type FieldError,
  type InvoicePreviewResponse,
  type Settings,
  cardInvoicesQuerySchema,
  dunningPauseRequestSchema,
  endpoints,
  errorBodySchema,
  fieldErrorSchema,
  pathFor,
} from "@encaisse/shared/contracts";
import { BACKEND_URL } from "./backend-url.ts";

/** HubSpot's default; the backend answers card reads within it, refreshing or not. */
const READ_TIMEOUT_MS = 15_000;
/** Creating a customer then an invoice at the provider can take longer than a read. */
const CREATE_TIMEOUT_MS = 30_000;

export class BackendError extends DomainError {
  constructor(
    code: string,
    message: string,
    /** Null when no answer came back (network, timeout). */
    readonly httpStatus: number | null,
    details?: Readonly<Record<string, unknown>>,
  ) {
    super(code, message, details);
  }
}

/** Anything thrown while calling the backend, as a BackendError the card can show. */
export function asBackendError(error: unknown): BackendError {
  if (error instanceof BackendError) return error;
  if (error instanceof DomainError) return new BackendError(error.code, error.message, null);
  return new BackendError("CARD_FAILED", "Something unexpected happened in the card.", null);
}

type Endpoint<N extends EndpointName> = (typeof endpoints)[N];
type ResponseOf<N extends EndpointName> = z.output<Endpoint<N>["response"]>;
type BodyOf<N extends EndpointName> =
  Endpoint<N> extends { body: infer Schema extends z.ZodType } ? z.input<Schema> : never;
export type ProviderName = Provider;

interface CallOptions {
  readonly params?: Readonly<Record<string, string>>;
  readonly query?: URLSearchParams;
  readonly body?: Readonly<Record<string, unknown>>;
  readonly timeoutMs?: number;
}

async function call<N extends EndpointName>(
  name: N,
  options: CallOptions = {},
): Promise<ResponseOf<N>> {
  const endpoint = endpoints[name];
  const query = options.query?.toString() ?? "";
  const url = `${BACKEND_URL}${pathFor(name, options.params)}${query === "" ? "" : `?${query}`}`;
  let response: Response;
  try {
    response = await hubspot.fetch(url, {
      method: endpoint.method,
      timeout: options.timeoutMs ?? READ_TIMEOUT_MS,
      ...(options.body === undefined ? {} : { body: { ...options.body } }),
    });
  } catch {
    throw new BackendError(
      "BACKEND_UNREACHABLE",
      `${endpoint.method} ${endpoint.path} did not get an answer.`,
      null,
    );
  }
  const payload = await readJson(response);
  if (!response.ok) throw refusalOf(response.status, payload, endpoint.path);
  const contract: z.ZodType = endpoint.response;
  const parsed = contract.safeParse(payload);
  if (!parsed.success) {
    throw new BackendError(
      "BACKEND_RESPONSE_INVALID",
      `The answer of ${endpoint.method} ${endpoint.path} does not follow its contract.`,
      response.status,
      { issues: parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`) },
    );
  }
  return parsed.data as ResponseOf<N>;
}

async function readJson(response: Response): Promise<unknown> {
  try {
    const text = await response.text();
    return text === "" ? null : (JSON.parse(text) as unknown);
  } catch {
    return undefined;
  }
}

function refusalOf(status: number, payload: unknown, path: string): BackendError {
  const body = errorBodySchema.safeParse(payload);
  if (body.success) {
    const { code, message, details } = body.data.error;
    return new BackendError(code, message, status, details);
  }
  return new BackendError(
    status >= 500 ? "BACKEND_UNAVAILABLE" : "BACKEND_RESPONSE_INVALID",
    `${path} answered HTTP ${status} without an error body.`,
    status,
  );
}

// ---------------------------------------------------------------- cards

export interface CardInvoicesRequest {
  readonly objectType: "companies" | "contacts" | "deals";
  readonly objectId: string;
  readonly page?: number;
  readonly pageSize?: number;
  readonly sort?: z.input<typeof cardInvoicesQuerySchema>["sort"];
  readonly order?: "asc" | "desc";
  readonly refresh?: boolean;
  /** `context.user.locale`: the language of the match explanations. */
  readonly locale?: string;
  /** `context.user.teams`: whether the backend shows amounts to this user. */
  readonly teamIds?: readonly number[];
}

export function fetchCardInvoices(request: CardInvoicesRequest): Promise<CardInvoicesResponse> {
  const checked = cardInvoicesQuerySchema.safeParse({
    objectType: request.objectType,
    objectId: request.objectId,
    page: request.page,
    pageSize: request.pageSize,
    sort: request.sort,
    order: request.order,
    refresh: request.refresh ? "1" : "0",
  });
  if (!checked.success) {
    return Promise.reject(
      new BackendError("RECORD_UNSUPPORTED", "This record cannot show invoices.", null),
    );
  }
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(checked.data)) query.set(key, String(value));
  if (request.locale) query.set("locale", request.locale);
  if (request.teamIds && request.teamIds.length > 0)
    query.set("teamIds", request.teamIds.join(","));
  return call("cardInvoices", { query });
}

export function confirmCustomerLink(body: BodyOf<"confirmLink">) {
  return call("confirmLink", { body });
}

export function fetchInvoicePdfLink(invoiceId: string) {
  return call("invoicePdfLink", { params: { invoiceId } });
}

export type DunningPauseRequest = BodyOf<"pauseDunning">;

/**
 * Holds the invoice's dunning plan (a dispute, or a promise to pay by a date). A request the
 * contract refuses never leaves the card; whether the date is acceptable is the backend's call.
 */
export function pauseInvoiceDunning(invoiceId: string, request: DunningPauseRequest) {
  const checked = dunningPauseRequestSchema.safeParse(request);
  if (!checked.success) {
    return Promise.reject(
      new BackendError("VALIDATION_FAILED", "This pause is incomplete.", null, {
        fields: checked.error.issues.map((issue) => ({
          field: issue.path.join("."),
          message: issue.message,
        })),
      }),
    );
  }
  return call("pauseDunning", { params: { invoiceId }, body: checked.data });
}

/** Lets the invoice's dunning plan run again; the answer is its dunning state now. */
export function resumeInvoiceDunning(invoiceId: string) {
  return call("resumeDunning", { params: { invoiceId } });
}

// ---------------------------------------------------------------- deal -> invoice

export function fetchInvoicePreview(dealId: string): Promise<InvoicePreviewResponse> {
  return call("invoicePreview", { params: { dealId } });
}

export function createDealInvoice(
  dealId: string,
  body: BodyOf<"createInvoice">,
): Promise<CreateInvoiceResponse> {
  return call("createInvoice", { params: { dealId }, body, timeoutMs: CREATE_TIMEOUT_MS });
}

// ---------------------------------------------------------------- settings

export function fetchSettings(): Promise<Settings> {
  return call("getSettings");
}

export function updateSettings(changes: BodyOf<"updateSettings">): Promise<Settings> {
  return call("updateSettings", { body: changes });
}

export function fetchConnections() {
  return call("connections");
}

export function connectWithApiToken(provider: ProviderName, token: string) {
  return call("connectApiToken", { params: { provider }, body: { token } });
}

export function fetchAuthorizeUrl(provider: ProviderName) {
  return call("authorizeUrl", { params: { provider } });
}

export function disconnectProvider(provider: ProviderName) {
  return call("disconnect", { params: { provider } });
}

export function fetchSyncStatus() {
  return call("syncStatus");
}

// ---------------------------------------------------------------- browser extension

/** A one-time code the signed-in user types in the Encaisse extension. */
export function createExtensionPairingCode() {
  return call("createPairingCode");
}

export function fetchExtensionTokens() {
  return call("listExtensionTokens");
}

/** Signs one paired extension out; the answer is the extensions still paired. */
export function revokeExtensionToken(tokenId: string) {
  return call("revokeExtensionToken", { params: { tokenId } });
}

/** Field-level problems a refusal carries in `details.fieldErrors`, if any. */
export function fieldErrorsOf(error: BackendError): FieldError[] {
  const parsed = z.array(fieldErrorSchema).safeParse(error.details?.["fieldErrors"]);
  return parsed.success ? parsed.data : [];
}

/** The fields a VALIDATION_FAILED refusal names in `details.fields`, if any. */
export function invalidFieldsOf(error: BackendError): { field: string; message: string }[] {
  const parsed = z
    .array(z.object({ field: z.string(), message: z.string() }))
    .safeParse(error.details?.["fields"]);
  return parsed.success ? parsed.data : [];
}
