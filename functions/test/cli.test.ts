import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { deadLetterChecks } from "../src/cli/doctor";
import { runCli } from "../src/cli/main";
import { DeadLetterRepository } from "../src/jobs/dead-letters";
import { openStore } from "../src/store";
import type { CliIo } from "../src/cli/io";
import { curlCommand, shellQuote, signHubSpotCall } from "../src/cli/signed-call";
import { verifySignatureV3 } from "../src/hubspot/signature";

const SECRET = "0b1c2d3e-sandbox-like-secret";
const SIGNING_ENV = {
  HUBSPOT_CLIENT_SECRET: SECRET,
  HUBSPOT_APP_ID: "4242",
  ENCAISSE_SANDBOX: "1",
  PUBLIC_BASE_URL: "http://localhost:3000",
};

async function run(argv: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { env, out: (line) => out.push(line), err: (line) => err.push(line) };
  const code = await runCli(argv, io);
  return { code, stdout: out.join("\n"), stderr: err.join("\n") };
}

describe("the operator CLI's command line", () => {
  it("--help lists every command and exits 0", async () => {
    const { code, stdout } = await run(["--help"]);
    expect(code).toBe(0);
    for (const command of [
      "doctor",
      "tenants list",
      "connect pennylane",
      "invoice create",
      "sign",
    ]) {
      expect(stdout).toContain(command);
    }
  });

  it("a command's --help shows its own options", async () => {
    const { code, stdout } = await run(["connect", "pennylane", "--help"]);
    expect(code).toBe(0);
    expect(stdout).toContain("--portal <id>");
    expect(stdout).toContain("--token <token>");
  });

  it.each([
    { argv: ["frobnicate"], says: 'Unknown command "frobnicate"' },
    { argv: ["tenants"], says: 'did you mean "tenants list"' },
    { argv: ["connect", "pennylane", "--portal", "62515"], says: "--token is required" },
    {
      argv: ["connect", "pennylane", "--portal", "abc", "--token", "x".repeat(20)],
      says: "numeric HubSpot id",
    },
    {
      argv: ["connect", "pennylane", "--portal", "62515", "--token", "short"],
      says: "does not look like",
    },
    { argv: ["tenants", "list", "--colour"], says: "Unknown option '--colour'" },
    {
      argv: ["sign", "--portal", "1", "--url", "/v1/x", "--format", "xml"],
      says: "--format must be",
    },
    { argv: ["doctor", "--timeout", "soon"], says: "--timeout must be a number" },
    {
      argv: ["invoice", "create", "--portal", "1", "--deal", "2", "--finalize", "--draft"],
      says: "contradict",
    },
  ])("$argv is a usage error (exit 2): $says", async ({ argv, says }) => {
    const { code, stderr } = await run(argv);
    expect(code).toBe(2);
    expect(stderr).toContain("error USAGE:");
    expect(stderr).toContain(says);
  });

  it("an invalid environment is one line with its code, never a stack trace", async () => {
    const { code, stderr } = await run(["tenants", "list"], { DATABASE_URL: "mysql://nope" });
    expect(code).toBe(1);
    expect(stderr.split("\n")[0]).toMatch(/^error CONFIG_INVALID: .*DATABASE_URL/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it("doctor fails (exit 1) on an invalid environment and says the other checks were skipped", async () => {
    const { code, stdout } = await run(["doctor"], { PUBLIC_BASE_URL: "not a url" });
    expect(code).toBe(1);
    expect(stdout).toMatch(/^fail\s+config\s+CONFIG_INVALID/m);
    expect(stdout).toContain("skipped");
  });

  it("--env reads the variables of a file, and a missing file is a clear error", async () => {
    const folder = mkdtempSync(join(tmpdir(), "encaisse-cli-"));
    const file = join(folder, "sandbox.env");
    writeFileSync(
      file,
      Object.entries(SIGNING_ENV)
        .map(([k, v]) => `${k}=${v}`)
        .join("\n"),
    );
    const signed = await run([
      "sign",
      "--env",
      file,
      "--portal",
      "62515",
      "--url",
      "/v1/cards/invoices",
    ]);
    expect(signed.code).toBe(0);
    expect(signed.stdout).toContain("X-HubSpot-Signature-v3");

    const missing = await run([
      "sign",
      "--env",
      join(folder, "nope.env"),
      "--portal",
      "1",
      "--url",
      "/",
    ]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("error CONFIG_INVALID: Cannot read the environment file");
  });
});

describe("encaisse sign", () => {
  it("signs the URL HubSpot would call, with its query parameters, as the backend verifies it", async () => {
    const { code, stdout, stderr } = await run(
      [
        "sign",
        "--portal",
        "62515",
        "--url",
        "/v1/cards/invoices?objectType=companies&objectId=42",
        "--user-email",
        "rep@example.fr",
        "--format",
        "json",
      ],
      SIGNING_ENV,
    );
    expect(code).toBe(0);
    expect(stderr).toContain("valid 5 minutes, for one request");
    const signed = JSON.parse(stdout) as {
      method: string;
      url: string;
      headers: Record<string, string>;
    };
    const url = new URL(signed.url);
    expect(url.origin + url.pathname).toBe("http://localhost:3000/v1/cards/invoices");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      objectType: "companies",
      objectId: "42",
      portalId: "62515",
      userId: "1",
      userEmail: "rep@example.fr",
      appId: "4242",
    });
    const timestamp = signed.headers["X-HubSpot-Request-Timestamp"] ?? null;
    expect(() =>
      verifySignatureV3(
        {
          method: signed.method,
          uri: signed.url,
          rawBody: "",
          signature: signed.headers["X-HubSpot-Signature-v3"] ?? null,
          timestamp,
        },
        SECRET,
        Number(timestamp),
      ),
    ).not.toThrow();
    expect(() =>
      verifySignatureV3(
        {
          method: signed.method,
          uri: signed.url,
          rawBody: "",
          signature: signed.headers["X-HubSpot-Signature-v3"] ?? null,
          timestamp,
        },
        "another-secret",
        Number(timestamp),
      ),
    ).toThrowError(expect.objectContaining({ code: "SIGNATURE_INVALID" }));
  });

  it("a body makes it a POST signed over the raw body, sent byte for byte", async () => {
    const body = '{"companyId":"42","providerCustomerId":"7"}';
    const { stdout } = await run(
      ["sign", "--portal", "62515", "--url", "/v1/cards/links", "--body", body, "--format", "json"],
      SIGNING_ENV,
    );
    const signed = JSON.parse(stdout) as {
      method: string;
      url: string;
      body: string;
      headers: Record<string, string>;
    };
    expect(signed.method).toBe("POST");
    expect(signed.body).toBe(body);
    const timestamp = signed.headers["X-HubSpot-Request-Timestamp"] ?? null;
    expect(() =>
      verifySignatureV3(
        {
          method: "POST",
          uri: signed.url,
          rawBody: body,
          signature: signed.headers["X-HubSpot-Signature-v3"] ?? null,
          timestamp,
        },
        SECRET,
        Number(timestamp),
      ),
    ).not.toThrow();
  });

  it("without the app's client secret it says where to find one", async () => {
    const { code, stderr } = await run(["sign", "--portal", "1", "--url", "/v1/cards/invoices"], {
      ENCAISSE_SANDBOX: "1",
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /^error CONFIG_INVALID: Signing needs HUBSPOT_CLIENT_SECRET.*sandbox\.env/,
    );
  });

  it("the curl command line survives the shell: quotes in the body reach the server unchanged", () => {
    for (const text of ["plain", "it's", `a 'b' "c" $HOME \\n`]) {
      expect(
        execFileSync("sh", ["-c", `printf %s ${shellQuote(text)}`], { encoding: "utf8" }),
      ).toBe(text);
    }
    const call = signHubSpotCall({
      method: "post",
      url: "http://localhost:3000/v1/cards/links",
      body: `{"note":"l'acompte"}`,
      portalId: "1",
      clientSecret: SECRET,
      timestamp: 1_700_000_000_000,
    });
    expect(curlCommand(call)).toBe(
      `curl -sS -X POST 'http://localhost:3000/v1/cards/links?portalId=1' -H 'X-HubSpot-Signature-v3: ${call.headers["X-HubSpot-Signature-v3"]}' -H 'X-HubSpot-Request-Timestamp: 1700000000000' -H 'Content-Type: application/json' --data-raw '{"note":"l'\\''acompte"}'`,
    );
  });
});

describe("encaisse doctor's dead letters", () => {
  it("lists the jobs that failed every attempt, newest first, as warnings", async () => {
    const store = await openStore({ inMemory: true });
    try {
      expect(await deadLetterChecks(store)).toEqual([
        { label: "dead letters", status: "ok", detail: "no job failed every attempt" },
      ]);
      const letters = new DeadLetterRepository(store.db);
      await letters.record(
        { kind: "sync", tenantId: "62515", reason: "schedule" },
        {
          kind: "sync",
          tenantId: "62515",
          failedAt: "2026-03-16T08:15:00.000Z",
          attempts: 3,
          errorCode: "PROVIDER_AUTH_FAILED",
        },
      );
      await letters.record(
        { kind: "dunning", tenantId: "77001", day: "2026-03-17" },
        {
          kind: "dunning",
          tenantId: "77001",
          failedAt: "2026-03-17T07:00:00.000Z",
          attempts: 3,
          errorCode: "HUBSPOT_UNAVAILABLE",
        },
      );
      const checks = await deadLetterChecks(store);
      expect(checks.map((check) => check.status)).toEqual(["warn", "warn", "warn"]);
      expect(checks.slice(1).map((check) => check.detail)).toEqual([
        "dunning tenant 77001 2026-03-17T07:00:00.000Z after 3 attempts: HUBSPOT_UNAVAILABLE",
        "sync tenant 62515 2026-03-16T08:15:00.000Z after 3 attempts: PROVIDER_AUTH_FAILED",
      ]);
    } finally {
      await store.close();
    }
  }, 60_000);
});
