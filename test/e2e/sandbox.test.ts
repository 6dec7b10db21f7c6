/**
 * `npm start` in sandbox mode, end to end over real HTTP: the emulators and the backend on
 * sockets, the demo tenant answering card requests signed exactly as HubSpot signs them.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  cardInvoicesResponseSchema,
  errorBodySchema,
  syncStatusResponseSchema,
} from "@encaisse/shared/contracts";
import { silentLogger } from "../../functions/src/backend";
import { signHubSpotCall } from "../../functions/src/cli/signed-call";
import { formatBanner } from "../sandbox/banner";
import { type Sandbox, startSandbox } from "../sandbox/sandbox";

const run = promisify(execFile);

async function curlAvailable(): Promise<boolean> {
  try {
    await run("curl", ["--version"]);
    return true;
  } catch {
    return false;
  }
}

describe("the sandbox behind npm start", () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startSandbox({
      port: 0,
      dataDir: join(mkdtempSync(join(tmpdir(), "encaisse-sandbox-")), "sandbox"),
      logger: silentLogger,
    });
    const steps = sandbox.startup.steps.map(({ step, ms }) => `${step} ${ms} ms`).join(", ");
    process.stdout.write(`sandbox started in ${sandbox.startup.totalMs} ms (${steps})\n`);
  }, 120_000);

  afterAll(async () => {
    await sandbox?.close();
  });

  it("answers /health over HTTP, in sandbox mode on the embedded database", async () => {
    const response = await fetch(`${sandbox.url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok", sandbox: true, driver: "pglite" });
  });

  it("a card request signed as HubSpot signs it returns the demo company's invoices from the emulated ledger", async () => {
    const call = sandbox.signedCardRequest();
    const response = await fetch(call.url, { headers: call.headers });
    expect(response.status).toBe(200);
    const card = cardInvoicesResponseSchema.parse(await response.json());
    if (card.state !== "ok") throw new Error(`expected a matched company, got ${card.state}`);
    const company = sandbox.book.companies.find((seed) => seed.key === sandbox.demoCompany.key);
    expect(card.provider).toBe("pennylane");
    expect(card.company.id).toBe(sandbox.demoCompany.hubspotId);
    expect(card.customer.siren).toBe(company?.siren);
    expect(card.summary.overdueInvoiceCount).toBe(sandbox.demoCompany.overdue);
    expect(card.invoices.items.length).toBeGreaterThan(0);
    expect(
      card.invoices.items.every((invoice) => invoice.customerName === card.customer.name),
    ).toBe(true);
  });

  it("the company HubSpot holds no SIREN for is not matched, and the card says so", async () => {
    const unmatched = sandbox.examples.find((example) => !example.matched);
    expect(unmatched).toBeDefined();
    const call = sandbox.signedCardRequest(unmatched?.hubspotId);
    const card = cardInvoicesResponseSchema.parse(
      await (await fetch(call.url, { headers: call.headers })).json(),
    );
    expect(card.state).toBe("not_matched");
  });

  it("the demo tenant's first sync runs in the background: the sync status shows the backfill moving", async () => {
    const status = async () => {
      const call = signHubSpotCall({
        method: "GET",
        url: `${sandbox.url}/v1/sync/status`,
        portalId: sandbox.portalId,
        userId: "1",
        clientSecret: sandbox.environment.HUBSPOT_CLIENT_SECRET ?? "",
      });
      const response = await fetch(call.url, { headers: call.headers });
      expect(response.status).toBe(200);
      return syncStatusResponseSchema.parse(await response.json());
    };
    const deadline = Date.now() + 90_000;
    let latest = await status();
    while ((latest.backfill?.done ?? 0) === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      latest = await status();
    }
    expect(latest.state).not.toBe("failed");
    expect(latest.backfill?.done).toBeGreaterThan(0);
  }, 120_000);

  it("a request signed with another secret is refused with 401 and no data", async () => {
    const forged = signHubSpotCall({
      method: "GET",
      url: `${sandbox.url}${sandbox.cardPath()}`,
      portalId: sandbox.portalId,
      userId: "1",
      clientSecret: "not-the-app-secret",
    });
    const response = await fetch(forged.url, { headers: forged.headers });
    expect(response.status).toBe(401);
    expect(errorBodySchema.parse(await response.json()).error.code).toBe("SIGNATURE_INVALID");
  });

  it("a signed request sent twice is refused the second time (replay)", async () => {
    const call = sandbox.signedCardRequest();
    expect((await fetch(call.url, { headers: call.headers })).status).toBe(200);
    const replay = await fetch(call.url, { headers: call.headers });
    expect(replay.status).toBe(401);
    expect(errorBodySchema.parse(await replay.json()).error.code).toBe("SIGNATURE_REPLAYED");
  });

  it("the printed curl returns the demo company's card data", async () => {
    const curl = sandbox.cardCurl();
    const banner = formatBanner({
      readyInMs: sandbox.startup.totalMs,
      templateBuilt: sandbox.templateBuilt,
      backendUrl: sandbox.url,
      emulators: {
        hubspot: sandbox.emulators.hubspot.url,
        pennylane: sandbox.emulators.pennylane.url,
        sageActiveApi: sandbox.emulators.sageActive.apiUrl,
        sageActiveAuth: sandbox.emulators.sageActive.authUrl,
      },
      storeDir: sandbox.storeDir,
      envFile: sandbox.envFile,
      portalId: sandbox.portalId,
      book: { companies: 150, documents: 3000, today: sandbox.book.today },
      examples: sandbox.examples,
      demoCompany: sandbox.demoCompany,
      curl,
      cardPath: sandbox.cardPath(),
    });
    const printed = banner.split("\n").find((line) => line.startsWith("curl "));
    expect(printed).toBe(curl);

    let body: string;
    if (await curlAvailable()) {
      body = (await run("sh", ["-c", curl])).stdout;
    } else {
      const call = sandbox.signedCardRequest();
      body = await (await fetch(call.url, { headers: call.headers })).text();
    }
    const card = cardInvoicesResponseSchema.parse(JSON.parse(body));
    expect(card.state).toBe("ok");
    if (card.state === "ok") expect(card.company.id).toBe(sandbox.demoCompany.hubspotId);
  });

  it("the banner names the backend, the three emulators, the demo portal and one unmatched company", () => {
    const banner = formatBanner({
      readyInMs: 4200,
      templateBuilt: false,
      backendUrl: sandbox.url,
      emulators: {
        hubspot: sandbox.emulators.hubspot.url,
        pennylane: sandbox.emulators.pennylane.url,
        sageActiveApi: sandbox.emulators.sageActive.apiUrl,
        sageActiveAuth: sandbox.emulators.sageActive.authUrl,
      },
      storeDir: sandbox.storeDir,
      envFile: sandbox.envFile,
      portalId: sandbox.portalId,
      book: { companies: 150, documents: 3000, today: sandbox.book.today },
      examples: sandbox.examples,
      demoCompany: sandbox.demoCompany,
      curl: "curl …",
      cardPath: sandbox.cardPath(),
    });
    expect(banner).toContain("ready in 4.2 s");
    for (const url of [
      sandbox.url,
      sandbox.emulators.hubspot.url,
      sandbox.emulators.pennylane.url,
      sandbox.emulators.sageActive.apiUrl,
    ]) {
      expect(banner).toContain(url);
    }
    expect(banner).toContain(`demo portal ${sandbox.portalId}`);
    expect(banner).toContain("not matched");
    expect(banner).toContain(`npx encaisse sign --env`);
  });

  it("writes its environment for the CLI: every service URL at the emulators", () => {
    const written = readFileSync(sandbox.envFile, "utf8");
    expect(written).toContain(`PUBLIC_BASE_URL=${sandbox.url}\n`);
    expect(written).toContain(`HUBSPOT_API_URL=${sandbox.emulators.hubspot.url}\n`);
    expect(written).toContain(`PENNYLANE_API_URL=${sandbox.emulators.pennylane.url}\n`);
    expect(written).toContain(`SAGE_ACTIVE_API_URL=${sandbox.emulators.sageActive.apiUrl}\n`);
  });

  it("a second sandbox on the same data directory is refused while this one runs", async () => {
    await expect(
      startSandbox({ port: 0, dataDir: join(sandbox.storeDir, ".."), logger: silentLogger }),
    ).rejects.toMatchObject({ code: "STORE_IN_USE" });
  });
});
