/**
 * `encaisse doctor`: is this deployment able to work? Configuration, encryption key,
 * database (driver, reachable, migrations), and every service URL reachable from here.
 * Exit code 1 when any check fails; warnings alone pass.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { DomainError } from "@encaisse/shared";
import { type Config, loadConfig } from "../config";
import { DeadLetterRepository } from "../jobs/dead-letters";
import {
  claimEmbeddedStore,
  embeddedStoreDir,
  embeddedStoreOwner,
} from "../runtime/embedded-owner";
import { MIGRATIONS_FOLDER, keyFromEnvironment, openStore, type Store } from "../store";
import type { Command } from "./command";
import { type CliIo, EXIT_FAILURE, EXIT_OK, UsageError, progress } from "./io";
import { describeStore } from "./open";
import { checkReachable } from "./reachability";

export type CheckStatus = "ok" | "warn" | "fail";

export interface CheckResult {
  readonly label: string;
  readonly status: CheckStatus;
  readonly detail: string;
}

const REACHABILITY_TIMEOUT_MS = 3_000;

export const doctorCommand: Command = {
  path: ["doctor"],
  summary: "check configuration, database and that every service answers",
  usage: `Usage: encaisse doctor [--timeout <ms>]

Checks, in order: the environment is valid, ENCRYPTION_KEY (or the development key),
the database (driver, reachable, migrations applied, jobs that failed every attempt),
and that HubSpot, Pennylane and
Sage Active answer at their configured URLs (any HTTP answer counts as reachable).
Exit code 1 when a check fails.

Options:
  --timeout <ms>  how long to wait for each service (default ${REACHABILITY_TIMEOUT_MS})`,
  options: { timeout: { type: "string" } },
  async run(values, io) {
    const timeoutMs = Number(values.timeout ?? REACHABILITY_TIMEOUT_MS);
    if (!Number.isInteger(timeoutMs) || timeoutMs < 100 || timeoutMs > 60_000) {
      throw new UsageError(
        "--timeout must be a number of milliseconds (100 to 60000).",
        this.usage,
      );
    }
    const results = await runDoctor(io, timeoutMs);
    printResults(io, results);
    return results.some((result) => result.status === "fail") ? EXIT_FAILURE : EXIT_OK;
  },
};

export async function runDoctor(io: CliIo, timeoutMs: number): Promise<CheckResult[]> {
  let config: Config;
  try {
    config = loadConfig(io.env);
  } catch (error) {
    return [{ label: "config", status: "fail", detail: messageOf(error) }, skipped()];
  }
  const results: CheckResult[] = [
    {
      label: "config",
      status: "ok",
      detail: config.sandbox
        ? "valid, sandbox mode (no HubSpot app configured, or ENCAISSE_SANDBOX=1)"
        : `valid, real mode (NODE_ENV=${config.NODE_ENV})`,
    },
    publicUrlCheck(config),
    encryptionKeyCheck(config),
  ];
  results.push(...(await databaseChecks(config, io)));
  progress(io, "asking each service for an answer");
  results.push(...(await serviceChecks(config, timeoutMs)));
  return results;
}

function publicUrlCheck(config: Config): CheckResult {
  const label = "public URL";
  if (!config.PUBLIC_BASE_URL) {
    return { label, status: "ok", detail: `${config.publicBaseUrl} (local default)` };
  }
  if (!config.sandbox && new URL(config.PUBLIC_BASE_URL).protocol !== "https:") {
    return {
      label,
      status: "warn",
      detail: `${config.PUBLIC_BASE_URL}: HubSpot only calls HTTPS origins`,
    };
  }
  return { label, status: "ok", detail: config.PUBLIC_BASE_URL };
}

function encryptionKeyCheck(config: Config): CheckResult {
  const label = "encryption key";
  const warnings: string[] = [];
  try {
    const key = keyFromEnvironment(
      {
        ENCRYPTION_KEY: config.ENCRYPTION_KEY,
        NODE_ENV: config.NODE_ENV,
        ENCAISSE_SANDBOX: config.sandbox ? "1" : "0",
      },
      (message) => warnings.push(message),
    );
    if (key.development) {
      return {
        label,
        status: "warn",
        detail:
          "ENCRYPTION_KEY is not set: the fixed development key encrypts credentials (fine for the sandbox, not for real accounts)",
      };
    }
    return { label, status: "ok", detail: "ENCRYPTION_KEY set (256-bit AES-GCM)" };
  } catch (error) {
    return { label, status: "fail", detail: messageOf(error) };
  }
}

async function databaseChecks(config: Config, io: CliIo): Promise<CheckResult[]> {
  const label = "database";
  const storeDir = embeddedStoreDir(config);
  const owner = storeDir ? embeddedStoreOwner(storeDir) : null;
  if (owner) {
    return [
      {
        label,
        status: "warn",
        detail: `embedded PGlite at ${storeDir}, open in the running ${owner.role} (pid ${owner.pid}): not opened twice`,
      },
    ];
  }
  const claim = storeDir ? claimEmbeddedStore(storeDir, "cli") : null;
  progress(io, `opening the database (${describeStore(config)})`);
  try {
    return await checkDatabase(config, storeDir);
  } finally {
    claim?.release();
  }
}

async function checkDatabase(config: Config, storeDir: string | null): Promise<CheckResult[]> {
  const label = "database";
  const started = performance.now();
  let store: Store;
  try {
    store = await openStore(
      storeDir ? { dataDir: storeDir } : { databaseUrl: config.DATABASE_URL, maxConnections: 1 },
    );
  } catch (error) {
    return [{ label, status: "fail", detail: `${describeStore(config)}: ${messageOf(error)}` }];
  }
  try {
    const openedMs = Math.round(performance.now() - started);
    const applied = await appliedMigrations(store);
    const known = knownMigrations();
    return [
      {
        label,
        status: "ok",
        detail: `${describeStore(config)}, driver ${store.driver}, opened in ${openedMs} ms`,
      },
      {
        label: "migrations",
        status: applied === known ? "ok" : "warn",
        detail:
          applied === known
            ? `${applied} of ${known} applied`
            : `${applied} applied, ${known} in this build: the database was migrated by ${applied > known ? "a newer" : "an older"} version`,
      },
      ...(applied === known ? await deadLetterChecks(store) : []),
    ];
  } catch (error) {
    return [{ label: "migrations", status: "fail", detail: messageOf(error) }];
  } finally {
    await store.close();
  }
}

const DEAD_LETTERS_SHOWN = 10;

/** Jobs that failed every attempt, newest first: a warning each, never a failure. */
export async function deadLetterChecks(store: Store): Promise<CheckResult[]> {
  const letters = await new DeadLetterRepository(store.db).list(DEAD_LETTERS_SHOWN);
  if (letters.length === 0) {
    return [{ label: "dead letters", status: "ok", detail: "no job failed every attempt" }];
  }
  return [
    {
      label: "dead letters",
      status: "warn",
      detail: `${letters.length === DEAD_LETTERS_SHOWN ? `the ${DEAD_LETTERS_SHOWN} newest` : letters.length} job(s) failed every attempt (kind, tenant, when, attempts, error):`,
    },
    ...letters.map((letter): CheckResult => ({
      label: "dead letter",
      status: "warn",
      detail: `${letter.kind} tenant ${letter.tenantId} ${letter.failedAt} after ${letter.attempts} attempts: ${letter.errorCode}`,
    })),
  ];
}

const appliedSchema = z.object({ rows: z.array(z.object({ applied: z.coerce.number() })) });

/** drizzle's migrators (both drivers) record each applied migration in this table. */
async function appliedMigrations(store: Store): Promise<number> {
  const result = appliedSchema.parse(
    await store.db.execute(sql`select count(*)::int as applied from drizzle.__drizzle_migrations`),
  );
  return result.rows[0]?.applied ?? 0;
}

const journalSchema = z.object({ entries: z.array(z.object({ tag: z.string() })) });

function knownMigrations(): number {
  const journal = readFileSync(join(MIGRATIONS_FOLDER, "meta", "_journal.json"), "utf8");
  return journalSchema.parse(JSON.parse(journal)).entries.length;
}

async function serviceChecks(config: Config, timeoutMs: number): Promise<CheckResult[]> {
  const services: readonly (readonly [string, string])[] = [
    ["HubSpot API", config.HUBSPOT_API_URL],
    ["Pennylane API", config.PENNYLANE_API_URL],
    ["Sage Active API", config.SAGE_ACTIVE_API_URL],
    ["Sage Active auth", config.SAGE_ACTIVE_AUTH_URL],
  ];
  return Promise.all(
    services.map(async ([label, url]): Promise<CheckResult> => {
      const answer = await checkReachable(url, timeoutMs);
      return answer.reachable
        ? {
            label,
            status: "ok",
            detail: `${url} answered HTTP ${answer.status} in ${answer.ms} ms`,
          }
        : { label, status: "fail", detail: `${url} unreachable: ${answer.reason}` };
    }),
  );
}

function skipped(): CheckResult {
  return {
    label: "other checks",
    status: "warn",
    detail: "skipped: they need a valid configuration",
  };
}

function messageOf(error: unknown): string {
  if (error instanceof DomainError) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

export function printResults(io: CliIo, results: readonly CheckResult[]): void {
  const width = Math.max(...results.map((result) => result.label.length));
  for (const result of results) {
    io.out(`${result.status.padEnd(4)}  ${result.label.padEnd(width)}  ${result.detail}`);
  }
  const failures = results.filter((result) => result.status === "fail").length;
  const warnings = results.filter((result) => result.status === "warn").length;
  io.out(
    failures === 0
      ? `all good${warnings > 0 ? ` (${plural(warnings, "warning")})` : ""}`
      : `${plural(failures, "failure")}, ${plural(warnings, "warning")}`,
  );
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}
