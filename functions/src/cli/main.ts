/**
 * `encaisse <command>`: the operator's tool, reading the same environment as the server.
 * Started by `functions/bin/encaisse.mjs` (`npx encaisse`). Exit codes: 0 done, 1 failed,
 * 2 bad command line.
 */
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { parseArgs, parseEnv } from "node:util";
import { DomainError } from "@encaisse/shared";
import type { Command, OptionValues } from "./command";
import { connectPennylaneCommand } from "./connect";
import { doctorCommand } from "./doctor";
import { invoiceCreateCommand } from "./invoice";
import { type CliIo, EXIT_OK, UsageError, processIo, reportError } from "./io";
import { signCommand } from "./sign";
import { syncCommand } from "./sync";
import { tenantsListCommand } from "./tenants";

export const COMMANDS: readonly Command[] = [
  doctorCommand,
  tenantsListCommand,
  connectPennylaneCommand,
  invoiceCreateCommand,
  signCommand,
  syncCommand,
];

const GLOBAL_OPTIONS = {
  env: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

export const GENERAL_USAGE = `encaisse: operate an Encaisse backend from a terminal

Usage: encaisse <command> [options]

Commands:
${COMMANDS.map((command) => `  ${command.path.join(" ").padEnd(20)} ${command.summary}`).join("\n")}

Options of every command:
  --env <file>  read variables from this file over the environment
                (the sandbox writes .data/sandbox/sandbox.env)
  -h, --help    this help; \`encaisse <command> --help\` for a command's

Reads the same environment as the server: DATABASE_URL (else the embedded database under
ENCAISSE_DATA_DIR, default .data), ENCRYPTION_KEY, and the service URLs (README.md).
Exit codes: 0 done, 1 failed, 2 bad command line.`;

export async function runCli(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  try {
    if (argv.length === 0 || ["help", "--help", "-h"].includes(argv[0] ?? "")) {
      io.out(GENERAL_USAGE);
      return EXIT_OK;
    }
    const command = findCommand(argv);
    const rest = argv.slice(command.path.length);
    let values: OptionValues;
    try {
      values = parseArgs({
        args: [...rest],
        options: { ...command.options, ...GLOBAL_OPTIONS },
        strict: true,
        allowPositionals: false,
      }).values as OptionValues;
    } catch (error) {
      throw new UsageError(error instanceof Error ? error.message : String(error), command.usage);
    }
    if (values.help === true) {
      io.out(command.usage);
      return EXIT_OK;
    }
    const env = typeof values.env === "string" ? withEnvFile(io.env, values.env) : io.env;
    return await command.run(values, { ...io, env });
  } catch (error) {
    return reportError(io, error);
  }
}

function findCommand(argv: readonly string[]): Command {
  const firstOption = argv.findIndex((arg) => arg.startsWith("-"));
  const words = firstOption === -1 ? argv : argv.slice(0, firstOption);
  const found = COMMANDS.filter((command) =>
    command.path.every((word, index) => words[index] === word),
  ).sort((a, b) => b.path.length - a.path.length)[0];
  if (found) return found;
  const family = COMMANDS.filter((command) => command.path[0] === argv[0]);
  if (family.length > 0) {
    throw new UsageError(
      `"${argv.join(" ")}" is not a command; did you mean ${family.map((command) => `"${command.path.join(" ")}"`).join(" or ")}?`,
      GENERAL_USAGE,
    );
  }
  throw new UsageError(`Unknown command "${argv[0] ?? ""}".`, GENERAL_USAGE);
}

/** The file's variables win over the environment's: asking for a file means that file. */
function withEnvFile(
  env: Readonly<Record<string, string | undefined>>,
  file: string,
): Readonly<Record<string, string | undefined>> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new DomainError(
      "CONFIG_INVALID",
      `Cannot read the environment file ${file} (is the sandbox running? npm start writes it).`,
    );
  }
  return { ...env, ...parseEnv(text) };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // Exit at once: an idle keep-alive socket must not hold the terminal.
  process.exit(await runCli(process.argv.slice(2)));
}
