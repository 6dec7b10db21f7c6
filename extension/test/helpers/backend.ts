/**
 * The Encaisse backend's `/v1/extension/*` endpoints, served by msw from the shared contract:
 * every answer is parsed with the contract's schema before it is sent, so a fake that drifts
 * from the contract fails here rather than passing in the extension.
 */
import {
  type ExtensionContextResponse,
  createNoteRequestSchema,
  createTaskRequestSchema,
  endpoints,
  extensionContextQuerySchema,
  pairRequestSchema,
} from "@encaisse/shared/contracts";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";

export const BACKEND = "https://encaisse.test";
export const PAIRING_CODE = "ABCD2345";
export const TOKEN = `ext_${"a".repeat(43)}`;

export const LEMOINE_CONTEXT: Extract<ExtensionContextResponse, { state: "ok" }> = {
  state: "ok",
  company: {
    id: "9001",
    name: "Transports Lemoine SARL",
    domain: "lemoine-transports.fr",
    url: "https://app-eu1.hubspot.com/contacts/4455/record/0-2/9001",
  },
  owner: {
    id: "77",
    name: "Claire Fontaine",
    email: "claire@atelier-dubois.fr",
    phone: "+33 4 72 00 00 00",
  },
  openDeals: [
    {
      id: "501",
      name: "Renouvellement flotte 2026",
      stage: "Proposition envoyée",
      amountCents: 4_500_000,
      closeDate: "2026-06-30",
      url: "https://app-eu1.hubspot.com/contacts/4455/record/0-3/501",
    },
  ],
  contacts: [
    {
      id: "31",
      name: "Julien Lemoine",
      email: "julien@lemoine-transports.fr",
      phone: null,
      jobTitle: "Gérant",
    },
  ],
  lastActivityAt: "2026-03-02T09:30:00Z",
  receivables: {
    outstandingCents: 1_845_000,
    overdueCents: 984_000,
    averagePaymentDelayDays: 12,
    dunningStep: "firm_notice",
    currency: "EUR",
  },
  invoice: null,
};

type Query = ReturnType<typeof extensionContextQuerySchema.parse>;

export interface FakeBackendState {
  validTokens: Set<string>;
  contextFor: (query: Query) => ExtensionContextResponse | { status: number; code: string };
  searchResults: {
    companyId: string;
    name: string | null;
    domain: string | null;
    siren: string | null;
  }[];
  /** Every note and task request received, refused ones included. */
  notes: unknown[];
  tasks: unknown[];
  /** How a note or task request is answered: held as long as it pends, refused when it says. */
  engagementReply: () => Promise<{ status: number; code: string } | null>;
  authorizations: (string | null)[];
}

function errorReply(status: number, code: string, headers: Record<string, string> = {}) {
  return HttpResponse.json(
    { error: { code, message: `Fake backend: ${code}.` } },
    { status, headers },
  );
}

export function fakeBackend() {
  const state: FakeBackendState = {
    validTokens: new Set(),
    contextFor: () => LEMOINE_CONTEXT,
    searchResults: [],
    notes: [],
    tasks: [],
    engagementReply: () => Promise.resolve(null),
    authorizations: [],
  };
  const authorized = (request: Request) => {
    const header = request.headers.get("authorization");
    state.authorizations.push(header);
    return state.validTokens.has(header?.replace(/^Bearer /, "") ?? "");
  };
  const url = (name: keyof typeof endpoints) => `${BACKEND}${endpoints[name].path}`;

  const server = setupServer(
    http.post(url("pairExtension"), async ({ request }) => {
      const body = pairRequestSchema.safeParse(await request.json());
      if (!body.success || body.data.code !== PAIRING_CODE) {
        return errorReply(401, "PAIRING_CODE_INVALID");
      }
      state.validTokens.add(TOKEN);
      return HttpResponse.json(
        endpoints.pairExtension.response.parse({
          token: TOKEN,
          portalId: "4455",
          userEmail: "claire@atelier-dubois.fr",
        }),
      );
    }),
    http.get(url("extensionContext"), ({ request }) => {
      if (!authorized(request)) return errorReply(401, "EXTENSION_TOKEN_INVALID");
      const query = extensionContextQuerySchema.parse(
        Object.fromEntries(new URL(request.url).searchParams),
      );
      const answer = state.contextFor(query);
      if ("status" in answer) {
        return errorReply(
          answer.status,
          answer.code,
          answer.status === 429 ? { "retry-after": "20" } : {},
        );
      }
      return HttpResponse.json(endpoints.extensionContext.response.parse(answer));
    }),
    http.get(url("extensionSearch"), ({ request }) => {
      if (!authorized(request)) return errorReply(401, "EXTENSION_TOKEN_INVALID");
      const { q } = endpoints.extensionSearch.query.parse(
        Object.fromEntries(new URL(request.url).searchParams),
      );
      const results = state.searchResults.filter((company) =>
        [company.name, company.siren].some((value) =>
          value?.toLowerCase().includes(q.toLowerCase()),
        ),
      );
      return HttpResponse.json(endpoints.extensionSearch.response.parse({ results }));
    }),
    http.post(url("extensionNote"), async ({ request }) => {
      if (!authorized(request)) return errorReply(401, "EXTENSION_TOKEN_INVALID");
      const note = createNoteRequestSchema.parse(await request.json());
      state.notes.push(note);
      const refused = await state.engagementReply();
      if (refused) return errorReply(refused.status, refused.code);
      return HttpResponse.json({
        id: "n-1",
        url: `https://app-eu1.hubspot.com/notes/${note.companyId}`,
      });
    }),
    http.post(url("extensionTask"), async ({ request }) => {
      if (!authorized(request)) return errorReply(401, "EXTENSION_TOKEN_INVALID");
      const task = createTaskRequestSchema.parse(await request.json());
      state.tasks.push(task);
      const refused = await state.engagementReply();
      if (refused) return errorReply(refused.status, refused.code);
      return HttpResponse.json({
        id: "t-1",
        url: `https://app-eu1.hubspot.com/tasks/${task.companyId}`,
      });
    }),
  );
  return { server, state };
}
