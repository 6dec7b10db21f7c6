/**
 * The environment, read once and validated. Every service URL defaults to the real service,
 * so one build runs against the emulators, a staging peer or production.
 */
import { z } from "zod";
import { DomainError } from "@encaisse/shared";

const url = z.string().url();
const optionalSecret = z.string().min(1).optional();

const environmentSchema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  PUBLIC_BASE_URL: url.optional(),
  HUBSPOT_API_URL: url.default("https://api.hubapi.com"),
  HUBSPOT_APP_URL: url.default("https://app.hubspot.com"),
  HUBSPOT_CLIENT_ID: optionalSecret,
  HUBSPOT_CLIENT_SECRET: optionalSecret,
  HUBSPOT_APP_ID: z.string().regex(/^\d+$/).optional(),
  PENNYLANE_API_URL: url.default("https://app.pennylane.com"),
  PENNYLANE_CLIENT_ID: optionalSecret,
  PENNYLANE_CLIENT_SECRET: optionalSecret,
  SAGE_ACTIVE_API_URL: url.default("https://api.fr.active.sage.com/graphql"),
  SAGE_ACTIVE_AUTH_URL: url.default("https://sbcauth.sage.fr"),
  SAGE_ACTIVE_CLIENT_ID: optionalSecret,
  SAGE_ACTIVE_CLIENT_SECRET: optionalSecret,
  SAGE_ACTIVE_API_KEY: optionalSecret,
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "DATABASE_URL must be a postgres:// URL.")
    .optional(),
  ENCRYPTION_KEY: optionalSecret,
  ENCAISSE_SANDBOX: z.enum(["0", "1"]).optional(),
  ENCAISSE_DATA_DIR: z.string().default(".data"),
  CRON_SECRET: optionalSecret,
  /** Minutes between two syncs of every tenant (a divisor of 60, so ticks fall on the hour). */
  ENCAISSE_SYNC_EVERY_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(60)
    .refine((minutes) => 60 % minutes === 0, "must divide 60 (5, 10, 15, 20, 30, 60…)")
    .default(15),
  /** `0`: this process serves HTTP only; jobs run in other processes (or a Lambda worker). */
  ENCAISSE_WORKERS: z.enum(["0", "1"]).default("1"),
  /** Jobs of each kind one worker process runs at once. */
  ENCAISSE_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(2),
});

export type Environment = z.infer<typeof environmentSchema>;

export interface Config extends Environment {
  /** Emulated HubSpot, Pennylane and Sage Active with a demo tenant: no account needed. */
  readonly sandbox: boolean;
  readonly publicBaseUrl: string;
  /** ENCAISSE_SYNC_EVERY_MINUTES, read. */
  readonly syncEveryMinutes: number;
}

export function loadConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join(".")}: ${issue.message}`,
    );
    throw new DomainError(
      "CONFIG_INVALID",
      `The environment is not valid: ${problems.join("; ")}`,
      { problems },
    );
  }
  const environment = parsed.data;
  // With no HubSpot app configured there is nothing real to talk to: run the sandbox.
  const sandbox =
    environment.ENCAISSE_SANDBOX === "1" ||
    (environment.ENCAISSE_SANDBOX === undefined && !environment.HUBSPOT_CLIENT_ID);
  if (!sandbox) {
    const missing = (
      ["HUBSPOT_CLIENT_ID", "HUBSPOT_CLIENT_SECRET", "PUBLIC_BASE_URL"] as const
    ).filter((key) => !environment[key]);
    if (environment.NODE_ENV === "production" && !environment.ENCRYPTION_KEY)
      missing.push("ENCRYPTION_KEY" as never);
    if (missing.length > 0) {
      throw new DomainError(
        "CONFIG_INVALID",
        `Set ${missing.join(", ")} to run against the real services (or ENCAISSE_SANDBOX=1).`,
        {
          missing,
        },
      );
    }
  }
  if (sandbox && environment.NODE_ENV === "production") {
    throw new DomainError("CONFIG_INVALID", "The sandbox cannot run with NODE_ENV=production.");
  }
  return {
    ...environment,
    sandbox,
    publicBaseUrl: environment.PUBLIC_BASE_URL ?? `http://localhost:${environment.PORT}`,
    syncEveryMinutes: environment.ENCAISSE_SYNC_EVERY_MINUTES,
  };
}
