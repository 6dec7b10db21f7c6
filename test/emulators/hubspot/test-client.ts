/**
 * A tiny typed caller for tests that talk to the emulator directly (no msw, no network):
 * `client.post<RecordBody>("/crm/v3/objects/companies", {...})` gives status, headers and the
 * parsed body. The body types are what HubSpot's answers look like, for reading, not checking:
 * the contract tests check shapes against the specs.
 */
import type { HubSpotEmulator } from "./emulator";

export interface RecordBody {
  readonly id: string;
  readonly properties: Readonly<Record<string, string | null>>;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly archived: boolean;
  readonly archivedAt?: string;
  readonly associations?: Readonly<
    Record<string, { readonly results: readonly { readonly id: string; readonly type: string }[] }>
  >;
}

export interface PageBody<T = RecordBody> {
  readonly results: readonly T[];
  readonly total?: number;
  readonly paging?: { readonly next?: { readonly after: string } };
}

export interface BatchBody<T = RecordBody> {
  readonly status: string;
  readonly results: readonly T[];
  readonly numErrors?: number;
  readonly errors?: readonly {
    readonly category: string;
    readonly message: string;
    readonly context: Record<string, string[]>;
  }[];
}

export interface ErrorBody {
  readonly status: string;
  readonly message: string;
  readonly category: string;
  readonly correlationId: string;
  readonly policyName?: string;
  readonly errorType?: string;
  readonly context?: Readonly<Record<string, readonly string[]>>;
  readonly errors?: readonly {
    readonly message: string;
    readonly code?: string;
    readonly context?: Record<string, string[]>;
  }[];
}

export interface Reply<T> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
}

export class HubSpotTestClient {
  constructor(
    private readonly emulator: HubSpotEmulator,
    public token: string | null,
    private readonly baseUrl = "https://api.hubapi.com",
  ) {}

  async request<T = unknown>(method: string, path: string, body?: unknown): Promise<Reply<T>> {
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (this.token !== null) headers.authorization = `Bearer ${this.token}`;
    const response = await this.emulator.handle(
      new Request(`${this.baseUrl}${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
    );
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: (text === "" ? null : JSON.parse(text)) as T,
    };
  }

  get<T = unknown>(path: string) {
    return this.request<T>("GET", path);
  }

  post<T = unknown>(path: string, body: unknown) {
    return this.request<T>("POST", path, body);
  }

  patch<T = unknown>(path: string, body: unknown) {
    return this.request<T>("PATCH", path, body);
  }

  put<T = unknown>(path: string, body?: unknown) {
    return this.request<T>("PUT", path, body);
  }

  delete<T = unknown>(path: string) {
    return this.request<T>("DELETE", path);
  }
}
