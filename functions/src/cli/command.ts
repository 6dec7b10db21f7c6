/** The shape of a CLI command and the small helpers every command uses to read its options. */
import type { ParseArgsConfig } from "node:util";
import type { CliIo } from "./io";
import { UsageError } from "./io";

export type OptionSpecs = NonNullable<ParseArgsConfig["options"]>;
export type OptionValues = Readonly<Record<string, string | boolean | undefined>>;

export interface Command {
  /** The words that name it: ["connect", "pennylane"]. */
  readonly path: readonly string[];
  readonly summary: string;
  /** The full `--help` text. */
  readonly usage: string;
  readonly options: OptionSpecs;
  /** Resolves to the exit code. */
  run(values: OptionValues, io: CliIo): Promise<number>;
}

export function stringOption(values: OptionValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === "string" ? value : undefined;
}

export function requiredOption(command: Command, values: OptionValues, name: string): string {
  const value = stringOption(values, name);
  if (value === undefined || value.trim() === "") {
    throw new UsageError(`--${name} is required.`, command.usage);
  }
  return value.trim();
}

/** A HubSpot id (portal, deal, company): digits only, as HubSpot issues them. */
export function hubspotIdOption(command: Command, values: OptionValues, name: string): string {
  const value = requiredOption(command, values, name);
  if (!/^\d{1,20}$/.test(value)) {
    throw new UsageError(`--${name} must be a numeric HubSpot id, got "${value}".`, command.usage);
  }
  return value;
}
