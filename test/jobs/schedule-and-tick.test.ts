/**
 * What each tick queues (every tenant's sync; dunning in the 08:00 Paris slot, with the Paris
 * date), and the serverless cron entry `POST /v1/jobs/tick`, gated by CRON_SECRET.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dueJobs, msUntilNextSlot } from "../../functions/src/jobs/schedule";
import type { Job } from "../../functions/src/jobs/types";
import { generateBook } from "../fixtures/generate";
import { type BackendHarness, startBackendHarness } from "../backend/harness";

describe("the schedule", () => {
  it("queues every tenant's sync at each tick, and dunning only in the slot holding 08:00 Paris", () => {
    // 07:05 UTC is 08:05 in Paris in winter (UTC+1).
    expect(dueJobs(new Date("2026-01-15T07:05:00Z"), ["1", "2"], 15)).toEqual([
      { kind: "sync", tenantId: "1", reason: "schedule" },
      { kind: "dunning", tenantId: "1", day: "2026-01-15" },
      { kind: "sync", tenantId: "2", reason: "schedule" },
      { kind: "dunning", tenantId: "2", day: "2026-01-15" },
    ]);
    // 07:15 UTC is 08:15 Paris: the next slot, sync only.
    expect(dueJobs(new Date("2026-01-15T07:15:00Z"), ["1"], 15)).toEqual([
      { kind: "sync", tenantId: "1", reason: "schedule" },
    ]);
    // Summer time (UTC+2): 08:00 Paris is 06:00 UTC.
    expect(dueJobs(new Date("2026-07-01T06:00:00Z"), ["1"], 15)).toContainEqual({
      kind: "dunning",
      tenantId: "1",
      day: "2026-07-01",
    });
    expect(dueJobs(new Date("2026-07-01T07:00:00Z"), ["1"], 60)).toHaveLength(1);
  });

  it("waits for the next slot boundary on the clock", () => {
    expect(msUntilNextSlot(Date.parse("2026-01-15T07:05:00Z"), 15)).toBe(10 * 60_000);
    expect(msUntilNextSlot(Date.parse("2026-01-15T07:14:59.500Z"), 15)).toBe(500);
  });
});

describe("POST /v1/jobs/tick", () => {
  let harness: BackendHarness;
  const secret = "cron-secret-0123456789abcdef";

  beforeAll(async () => {
    harness = await startBackendHarness({ env: { CRON_SECRET: secret } });
  }, 60_000);
  afterAll(async () => {
    await harness.close();
  });

  const tick = (authorization?: string) =>
    harness.app.request("http://localhost:3000/v1/jobs/tick", {
      method: "POST",
      headers: authorization ? { authorization } : {},
    });

  it("refuses a call without the cron secret, or with another one, with a typed 401", async () => {
    for (const authorization of [undefined, "Bearer wrong-secret", secret]) {
      const response = await tick(authorization);
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ error: { code: "CRON_SECRET_INVALID" } });
    }
  });

  it("queues the due jobs of every connected tenant with the secret", async () => {
    const response = await tick(`Bearer ${secret}`);
    expect(response.status).toBe(200);
    const report = (await response.json()) as { tenants: number; sync: number };
    expect(report).toMatchObject({ tenants: 1, sync: 1 });
  });
});

describe("POST /v1/jobs/tick without CRON_SECRET configured", () => {
  let harness: BackendHarness;
  const queued: Job[] = [];

  beforeAll(async () => {
    harness = await startBackendHarness({
      book: generateBook({ companies: 2, invoices: 4 }),
      jobs: {
        enqueue: (job) => {
          queued.push(job);
          return Promise.resolve();
        },
        deadLetters: () => Promise.resolve([]),
      },
    });
  }, 60_000);
  afterAll(async () => {
    await harness.close();
  });

  it("answers a typed 503 whatever is sent, and queues nothing", async () => {
    for (const authorization of [undefined, "Bearer ", "Bearer anything-at-all"]) {
      const response = await harness.app.request("http://localhost:3000/v1/jobs/tick", {
        method: "POST",
        headers: authorization === undefined ? {} : { authorization },
      });
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ error: { code: "CRON_NOT_CONFIGURED" } });
    }
    expect(queued).toEqual([]);
  });
});
