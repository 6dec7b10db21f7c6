/**
 * The Lambda worker entry (`lambda.worker`, run by a schedule): it queues the jobs due at the
 * tick, works the queue on pg-boss until nothing is left to run, and leaves a job waiting out
 * a retry delay to the next invocation instead of spinning until its timeout. Real
 * PostgreSQL (a fresh database) and the emulators over HTTP; runs when DATABASE_URL is set.
 */
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { silentLogger } from "../../functions/src/backend";
import { DeadLetterRepository } from "../../functions/src/jobs/dead-letters";
import { runScheduledWorker } from "../../functions/src/lambda";
import {
  CredentialCipher,
  createRepositories,
  keyFromEnvironment,
  openStore,
  type Repositories,
  type Store,
} from "../../functions/src/store";
import { DATABASE_URL, createTestDatabase } from "../../functions/test/support/store";
import { HubSpotEmulator, SANDBOX_HUBSPOT_APP, startHubSpotServer } from "../emulators/hubspot";
import { PennylaneEmulator, startPennylaneServer } from "../emulators/pennylane";
import { generateBook } from "../fixtures/generate";

/** Noon in Paris: a tick that queues syncs only (dunning waits for the 08:00 slot). */
const NOON_IN_PARIS = new Date("2026-03-16T11:00:00Z");
const MINUTES = 60_000;

const countsSchema = z.object({
  rows: z.array(z.object({ tenant_id: z.string(), invoices: z.coerce.number() })),
});

describe.runIf(DATABASE_URL)("the Lambda worker", () => {
  const encryptionKey = randomBytes(32).toString("base64");
  const hubspot = new HubSpotEmulator();
  const pennylane = new PennylaneEmulator();
  const closers: (() => Promise<void>)[] = [];
  let store: Store;
  let repos: Repositories;
  let environment: Record<string, string> = {};

  async function connectTenant(tenantId: string, pennylaneToken: string): Promise<void> {
    const installed = hubspot.installApp(Number(tenantId));
    await repos.tenants.install(tenantId);
    await repos.credentials.save(tenantId, "hubspot", {
      method: "oauth",
      tokens: {
        accessToken: installed.accessToken,
        refreshToken: installed.refreshToken,
        expiresAt: installed.expiresAt.getTime(),
        scope: installed.scopes.join(" "),
      },
    });
    await repos.credentials.save(tenantId, "pennylane", {
      method: "api_token",
      token: pennylaneToken,
    });
    await repos.tenants.setActiveProvider(tenantId, "pennylane", null);
  }

  async function invoicesHeld(): Promise<Record<string, number>> {
    const counts = countsSchema.parse(
      await store.db.execute(sql`select tenant_id, count(*) as invoices from invoices
        group by tenant_id`),
    ).rows;
    return Object.fromEntries(counts.map((row) => [row.tenant_id, row.invoices]));
  }

  beforeAll(async () => {
    const database = await createTestDatabase();
    closers.push(() => database.drop());
    store = await openStore({ databaseUrl: database.url, maxConnections: 2 });
    closers.unshift(() => store.close());
    const cipher = new CredentialCipher(keyFromEnvironment({ ENCRYPTION_KEY: encryptionKey }));
    repos = createRepositories(store, { cipher });
    const hubspotServer = await startHubSpotServer(hubspot);
    const pennylaneServer = await startPennylaneServer(pennylane);
    closers.unshift(
      () => hubspotServer.close(),
      () => pennylaneServer.close(),
    );
    pennylane.loadBook(generateBook({ seed: 3, companies: 2, invoices: 8, months: 1 }));
    pennylane.addApiToken("pennylane-token-of-the-lambda-tenant-0123");
    await connectTenant("7300001", "pennylane-token-of-the-lambda-tenant-0123");
    environment = {
      NODE_ENV: "test",
      ENCAISSE_SANDBOX: "1",
      DATABASE_URL: database.url,
      ENCRYPTION_KEY: encryptionKey,
      HUBSPOT_CLIENT_ID: SANDBOX_HUBSPOT_APP.clientId,
      HUBSPOT_CLIENT_SECRET: SANDBOX_HUBSPOT_APP.clientSecret,
      HUBSPOT_API_URL: hubspotServer.url,
      PENNYLANE_API_URL: pennylaneServer.url,
    };
  }, 60_000);

  afterAll(async () => {
    for (const close of closers) await close();
  }, 60_000);

  it("queues the jobs due at the tick and works the queue until it is empty", async () => {
    const started = Date.now();
    const result = await runScheduledWorker(environment, () => 14 * MINUTES, {
      logger: silentLogger,
      at: NOON_IN_PARIS,
    });
    expect(result).toEqual({ queued: 1, left: 0 });
    // The tenant's sync ran: its read model holds the whole book.
    expect(await invoicesHeld()).toEqual({ "7300001": pennylane.ledger.invoices.size });
    expect(Date.now() - started).toBeLessThan(60_000);
  }, 120_000);

  it("stops once only a job waiting out its retry delay is left, instead of spinning until the timeout", async () => {
    // A second tenant whose Pennylane token was revoked: its sync fails and waits 30 s or
    // more before its next attempt.
    await connectTenant("7300002", "pennylane-token-revoked-since-0123456789");
    const started = Date.now();
    const result = await runScheduledWorker(environment, () => 14 * MINUTES, {
      logger: silentLogger,
      at: NOON_IN_PARIS,
    });
    const elapsedMs = Date.now() - started;
    expect(result).toEqual({ queued: 2, left: 1 });
    // Returned before the retry came due (the old loop waited for it, then for the next).
    expect(elapsedMs).toBeLessThan(25_000);
    // Not a dead letter: two attempts remain for the next invocations.
    expect(await new DeadLetterRepository(store.db).list()).toEqual([]);
    expect(await invoicesHeld()).toEqual({ "7300001": pennylane.ledger.invoices.size });
  }, 120_000);
});
