/**
 * `encaisse sign`: a request signed as HubSpot signs `hubspot.fetch` calls, to try the card
 * endpoints with curl against the sandbox or a development server. It needs the app's client
 * secret, so it is a development tool: the sandbox writes its (public, fake) one to
 * `.data/sandbox/sandbox.env`.
 */
import { DomainError } from "@encaisse/shared";
import { loadConfig } from "../config";
import { SIGNATURE_MAX_AGE_MS } from "../hubspot/signature";
import { type Command, hubspotIdOption, requiredOption, stringOption } from "./command";
import { EXIT_OK, UsageError } from "./io";
import { curlCommand, signHubSpotCall } from "./signed-call";

const FORMATS = ["curl", "headers", "json"] as const;

export const signCommand: Command = {
  path: ["sign"],
  summary: "sign a request as HubSpot would (sandbox and development)",
  usage: `Usage: encaisse sign --portal <id> --url <url> [--method GET] [--body <json>]
                     [--user-id <id>] [--user-email <email>] [--format curl|headers|json]

Adds HubSpot's query parameters (portalId, userId, userEmail, appId) to the URL and
signs it (signature v3) with HUBSPOT_CLIENT_SECRET. The signature is valid 5 minutes
and for one request only: sign again for the next one.

Options:
  --portal <id>        the HubSpot portal (tenant) the request comes from
  --url <url>          the endpoint, absolute or a path on PUBLIC_BASE_URL
                       (e.g. "/v1/cards/invoices?objectType=companies&objectId=123")
  --method <method>    HTTP method (default GET, or POST with --body)
  --body <json>        raw JSON body, sent byte for byte
  --user-id <id>       the HubSpot user (default 1)
  --user-email <email> the user's email, as HubSpot adds it
  --format <format>    curl (default): a command to paste; headers: the two headers;
                       json: { method, url, headers, body }

Against the sandbox: encaisse sign --env .data/sandbox/sandbox.env --portal … --url …`,
  options: {
    portal: { type: "string" },
    url: { type: "string" },
    method: { type: "string" },
    body: { type: "string" },
    "user-id": { type: "string" },
    "user-email": { type: "string" },
    format: { type: "string" },
  },
  async run(values, io) {
    const portalId = hubspotIdOption(this, values, "portal");
    const target = requiredOption(this, values, "url");
    const body = stringOption(values, "body");
    const format = stringOption(values, "format") ?? "curl";
    if (!isFormat(format)) {
      throw new UsageError(`--format must be one of ${FORMATS.join(", ")}.`, this.usage);
    }
    if (body !== undefined && !isJson(body)) {
      throw new UsageError("--body must be JSON, as hubspot.fetch only sends JSON.", this.usage);
    }
    const config = loadConfig(io.env);
    if (!config.HUBSPOT_CLIENT_SECRET) {
      throw new DomainError(
        "CONFIG_INVALID",
        "Signing needs HUBSPOT_CLIENT_SECRET; for the sandbox, add --env .data/sandbox/sandbox.env (written by npm start).",
      );
    }
    let url: URL;
    try {
      url = new URL(target, config.publicBaseUrl);
    } catch {
      throw new UsageError(`--url "${target}" is not a URL or a path.`, this.usage);
    }
    const userEmail = stringOption(values, "user-email");
    const signed = signHubSpotCall({
      method: stringOption(values, "method") ?? (body === undefined ? "GET" : "POST"),
      url: url.toString(),
      ...(body === undefined ? {} : { body }),
      portalId,
      userId: stringOption(values, "user-id") ?? "1",
      ...(userEmail ? { userEmail } : {}),
      ...(config.HUBSPOT_APP_ID ? { appId: config.HUBSPOT_APP_ID } : {}),
      clientSecret: config.HUBSPOT_CLIENT_SECRET,
    });
    if (format === "json") {
      io.out(JSON.stringify(signed, null, 2));
    } else if (format === "headers") {
      io.out(`${signed.method} ${signed.url}`);
      for (const [name, value] of Object.entries(signed.headers)) io.out(`${name}: ${value}`);
    } else {
      io.out(curlCommand(signed));
    }
    io.err(
      `valid ${SIGNATURE_MAX_AGE_MS / 60_000} minutes, for one request: sign again for the next one.`,
    );
    return EXIT_OK;
  },
};

function isFormat(format: string): format is (typeof FORMATS)[number] {
  return (FORMATS as readonly string[]).includes(format);
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
