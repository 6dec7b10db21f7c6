/**
 * The operator CLI as an operator runs it: `node functions/bin/encaisse.mjs …` in its own
 * process, against the sandbox's emulated services, with exit codes and output checked.
 * It works on a store of its own (an embedded store serves one process at a time; the
 * sandbox keeps its own), into which a HubSpot portal is installed first.
 */
import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cardInvoicesResponseSchema } from "@encaisse/shared/contracts";
import { openBackend, silentLogger } from "../../functions/src/backend";
import { loadConfig } from "../../functions/src/config";
import { TEST_DRIVERS, createTestDatabase } from "../../functions/test/support/store";
import { REPOSITORY_ROOT } from "../sandbox/template";
import { prepareSandboxDatabase } from "../sandbox/database";
import { SANDBOX_PENNYLANE_TOKEN } from "../sandbox/emulators";
import { type Sandbox, startSandbox } from "../sandbox/sandbox";

const execute = promisify(execFile);
const BIN = join(REPOSITORY_ROOT, "functions", "bin", "encaisse.mjs");

interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Only what the CLI is given: no variable of the test runner leaks into it. */
async function encaisse(args: string[], env: Record<string, string>): Promise<CliRun> {
  const base = Object.fromEntries(
    ["PATH", "HOME", "TMPDIR"].flatMap((name) => {
      const value = process.env[name];
      return value === undefined ? [] : [[name, value]];
    }),
  );
  try {
    const { stdout, stderr } = await execute(process.execPath, [BIN, ...args], {
      cwd: REPOSITORY_ROOT,
      env: { ...base, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof failed.code !== "number") throw error;
    return { code: failed.code, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
  }
}

describe("npx encaisse against the sandbox's services", () => {
  let sandbox: Sandbox;
  let env: Record<string, string>;
  let portalId: string;

  beforeAll(async () => {
    const folder = mkdtempSync(join(tmpdir(), "encaisse-cli-"));
    sandbox = await startSandbox({
      port: 0,
      dataDir: join(folder, "sandbox"),
      logger: silentLogger,
      warm: false,
      // The CLI connects its own tenant on the sandbox's Pennylane token: the sandbox's own
      // backfill would spend that token's budget (25 requests / 5 s) under the CLI's calls.
      jobs: false,
    });
    portalId = sandbox.portalId;
    // The CLI's own store: a migrated copy, in which the demo portal installed the app.
    const cliStore = await prepareSandboxDatabase(join(folder, "cli"));
    cliStore.release();
    env = { ...sandbox.environment, ENCAISSE_DATA_DIR: cliStore.dataDir };
    const backend = await openBackend(loadConfig(env), { logger: silentLogger });
    const install = sandbox.emulators.hubspot.emulator.installApp(Number(portalId));
    await backend.repos.tenants.install(portalId);
    await backend.repos.credentials.save(portalId, "hubspot", {
      method: "oauth",
      tokens: {
        accessToken: install.accessToken,
        refreshToken: install.refreshToken,
        expiresAt: install.expiresAt.getTime(),
        scope: install.scopes.join(" "),
      },
    });
    await backend.close();
  }, 120_000);

  afterAll(async () => {
    await sandbox?.close();
  });

  it("--help lists every command and exits 0", async () => {
    const { code, stdout } = await encaisse(["--help"], {});
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

  it("doctor passes against the sandbox's services: config, key, database, migrations, every service answering", async () => {
    const { code, stdout } = await encaisse(["doctor"], env);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^ok\s+config\s+valid, sandbox mode/m);
    expect(stdout).toMatch(/^ok\s+encryption key\s+ENCRYPTION_KEY set/m);
    expect(stdout).toMatch(
      /^ok\s+database\s+embedded PGlite at .*, driver pglite, opened in \d+ ms/m,
    );
    expect(stdout).toMatch(/^ok\s+migrations\s+(\d+) of \1 applied/m);
    for (const service of ["HubSpot API", "Pennylane API", "Sage Active API", "Sage Active auth"]) {
      expect(stdout).toMatch(
        new RegExp(
          `^ok\\s+${service}\\s+http://127\\.0\\.0\\.1:\\d+\\S* answered HTTP \\d{3}`,
          "m",
        ),
      );
    }
  });

  it("doctor fails with exit code 1 when a service does not answer, naming it", async () => {
    const closedPort = await freePort();
    const { code, stdout } = await encaisse(["doctor", "--timeout", "1000"], {
      ...env,
      PENNYLANE_API_URL: `http://127.0.0.1:${closedPort}`,
    });
    expect(code).toBe(1);
    expect(stdout).toMatch(
      new RegExp(
        `^fail\\s+Pennylane API\\s+http://127\\.0\\.0\\.1:${closedPort} unreachable: ECONNREFUSED`,
        "m",
      ),
    );
    expect(stdout).toMatch(/^ok\s+HubSpot API/m);
  });

  it("doctor with the sandbox's own environment does not open the database the sandbox holds", async () => {
    const { code, stdout } = await encaisse(["doctor", "--env", sandbox.envFile], {});
    expect(code).toBe(0);
    expect(stdout).toMatch(/^warn\s+database\s+.*open in the running sandbox \(pid \d+\)/m);
  });

  it("tenants list shows the installed portal, not yet connected to accounting", async () => {
    const { code, stdout } = await encaisse(["tenants", "list"], env);
    expect(code).toBe(0);
    const [header, row] = stdout.trim().split("\n");
    expect(header).toMatch(/^PORTAL\s+INSTALLED AT\s+PROVIDER\s+CONNECTED$/);
    expect(row).toMatch(
      new RegExp(`^${portalId}\\s+\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} UTC\\s+-\\s+no$`),
    );
  });

  it("connect pennylane with a token Pennylane refuses fails clearly (exit 1), stores nothing", async () => {
    const { code, stderr } = await encaisse(
      ["connect", "pennylane", "--portal", portalId, "--token", "not-a-real-pennylane-token"],
      env,
    );
    expect(code).toBe(1);
    const errorLines = stderr.split("\n").filter((line) => line.startsWith("error "));
    expect(errorLines).toEqual([
      expect.stringMatching(
        /^error PROVIDER_TOKEN_INVALID: Pennylane does not accept this API token/,
      ),
    ]);
    expect(stderr).not.toMatch(/\n\s+at /);

    const listed = JSON.parse(
      (await encaisse(["tenants", "list", "--json"], env)).stdout,
    ) as unknown[];
    expect(listed).toEqual([
      expect.objectContaining({ portalId, provider: null, connected: false }),
    ]);
  });

  it("connect pennylane for a portal that never installed the app is refused with TENANT_NOT_INSTALLED", async () => {
    const { code, stderr } = await encaisse(
      ["connect", "pennylane", "--portal", "999", "--token", SANDBOX_PENNYLANE_TOKEN],
      env,
    );
    expect(code).toBe(1);
    expect(stderr).toMatch(/^error TENANT_NOT_INSTALLED: /m);
  });

  it("connect pennylane with a working token connects the tenant, and tenants list says so", async () => {
    const { code, stdout } = await encaisse(
      ["connect", "pennylane", "--portal", portalId, "--token", SANDBOX_PENNYLANE_TOKEN],
      env,
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(
      new RegExp(
        `^Connected portal ${portalId} to Pennylane company ".+" \\(id \\d+\\) with an API token\\.`,
      ),
    );

    const listed = JSON.parse(
      (await encaisse(["tenants", "list", "--json"], env)).stdout,
    ) as unknown[];
    expect(listed).toEqual([
      expect.objectContaining({
        portalId,
        provider: "pennylane",
        connected: true,
        method: "api_token",
      }),
    ]);
  });

  it("invoice create bills a won deal once: a second run answers with the same invoice", async () => {
    const dealId = wonDealOfFrenchCompany(sandbox);
    const first = await encaisse(
      ["invoice", "create", "--portal", portalId, "--deal", dealId, "--finalize"],
      env,
    );
    expect(first.stderr).not.toMatch(/^error /m);
    expect(first.code).toBe(0);
    const created = /^Created invoice (F-\d{4}-\d+) for deal (\d+): /m.exec(first.stdout);
    expect(created?.[2]).toBe(dealId);

    const second = await encaisse(
      ["invoice", "create", "--portal", portalId, "--deal", dealId],
      env,
    );
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(`Already invoiced: invoice ${created?.[1]} for deal ${dealId}`);
  });

  it("the sandbox's database cannot be opened while the sandbox runs: STORE_IN_USE, exit 1", async () => {
    const { code, stderr } = await encaisse(["tenants", "list", "--env", sandbox.envFile], {});
    expect(code).toBe(1);
    expect(stderr).toMatch(/^error STORE_IN_USE: .*running sandbox/m);
  });

  it("sign --env with the sandbox's file prints a curl that returns card data", async () => {
    const { code, stdout } = await encaisse(
      ["sign", "--env", sandbox.envFile, "--portal", portalId, "--url", sandbox.cardPath()],
      {},
    );
    expect(code).toBe(0);
    const card = cardInvoicesResponseSchema.parse(
      JSON.parse((await execute("sh", ["-c", stdout.trim()])).stdout),
    );
    expect(card.state).toBe("ok");
  });
  // Where CI sets DATABASE_URL, the same commands on the real PostgreSQL.
  for (const driver of TEST_DRIVERS.filter((available) => available === "postgres")) {
    describe(`on ${driver} (DATABASE_URL)`, () => {
      let database: { url: string; drop(): Promise<void> };
      let pgEnv: Record<string, string>;

      beforeAll(async () => {
        database = await createTestDatabase();
        pgEnv = { ...sandbox.environment, DATABASE_URL: database.url };
      });

      afterAll(async () => {
        await database?.drop();
      });

      it("doctor opens PostgreSQL, applies the migrations and says so without the password", async () => {
        const { code, stdout } = await encaisse(["doctor"], pgEnv);
        expect(code).toBe(0);
        expect(stdout).toMatch(
          /^ok\s+database\s+PostgreSQL \S+:\d+\/encaisse_test_\w+, driver postgres/m,
        );
        expect(stdout).toMatch(/^ok\s+migrations\s+(\d+) of \1 applied/m);
        const password = new URL(database.url).password;
        if (password) expect(stdout).not.toContain(password);
      });

      it("connect pennylane and tenants list work the same on PostgreSQL", async () => {
        const backend = await openBackend(loadConfig(pgEnv), { logger: silentLogger });
        await backend.repos.tenants.install(portalId);
        await backend.close();

        const refused = await encaisse(
          ["connect", "pennylane", "--portal", portalId, "--token", "not-a-real-pennylane-token"],
          pgEnv,
        );
        expect(refused.code).toBe(1);
        expect(refused.stderr).toMatch(/^error PROVIDER_TOKEN_INVALID: /m);

        const connected = await encaisse(
          ["connect", "pennylane", "--portal", portalId, "--token", SANDBOX_PENNYLANE_TOKEN],
          pgEnv,
        );
        expect(connected.code).toBe(0);
        const listed = JSON.parse(
          (await encaisse(["tenants", "list", "--json"], pgEnv)).stdout,
        ) as unknown[];
        expect(listed).toEqual([
          expect.objectContaining({ portalId, provider: "pennylane", connected: true }),
        ]);
      });
    });
  }
});

/** A port nothing listens on: taken from the system, then let go. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A won deal of a French company HubSpot has the SIREN of: everything an invoice needs. */
function wonDealOfFrenchCompany(sandbox: Sandbox): string {
  const portal = sandbox.emulators.hubspot.emulator.portal(Number(sandbox.portalId));
  for (const deal of portal.objects.all("deals")) {
    if (deal.values.get("dealstage") !== "closedwon") continue;
    const [company] = portal.associations.list("deals", deal.id, "companies");
    const values = company && portal.objects.get("companies", company.toId)?.values;
    if (values?.get("siren") && values.get("country") === "France") return deal.id;
  }
  throw new Error("The seed has no won deal of a French company with a SIREN.");
}
