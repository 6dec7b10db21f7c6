/**
 * `npm run bench` runs every benchmark module in turn; `npm run bench -- providers` only the
 * named ones, and `providers:pennylane` one part of a module. Benchmarks print figures and
 * never assert: the exit code is 0 unless something crashes.
 *
 * The parts of one module run side by side, each in its own process, and their reports are
 * printed whole, one after the other. They measure clients that spend most of their time
 * waiting for a provider's rate limit, so running them one after another would only add up
 * the waits; separate processes keep one emulator's work off the other's event loop.
 */
import { spawn } from "node:child_process";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { cardsBenchmark } from "./cards";
import { invoicesBenchmark } from "./invoices";
import { providersBenchmark } from "./providers";
import { syncBenchmark } from "./sync";
import { type BenchmarkModule, formatBytes, formatMs, peakRss, printTable } from "./support";

const MODULES: readonly BenchmarkModule[] = [
  providersBenchmark,
  cardsBenchmark,
  invoicesBenchmark,
  syncBenchmark,
];
/** Set in the processes that run one part for a parent run. */
const PART_PROCESS = "ENCAISSE_BENCH_PART_PROCESS";

interface Selection {
  readonly module: BenchmarkModule;
  /** The parts asked for; empty when the whole module is. */
  readonly parts: readonly string[];
}

function select(args: readonly string[]): Selection[] | string {
  if (args.length === 0) return MODULES.map((module) => ({ module, parts: [] }));
  const selections = new Map<BenchmarkModule, string[]>();
  for (const arg of args) {
    const [name, part] = arg.split(":", 2);
    const module = MODULES.find((candidate) => candidate.name === name);
    if (!module) return `Unknown benchmark "${arg}".`;
    if (part !== undefined && !module.parts.includes(part))
      return `"${module.name}" has no part "${part}" (parts: ${module.parts.join(", ")}).`;
    const parts = selections.get(module) ?? [];
    if (part !== undefined) parts.push(part);
    selections.set(module, parts);
  }
  return [...selections].map(([module, parts]) => ({ module, parts }));
}

function usage(problem: string): void {
  console.error(problem);
  console.error("Usage: npm run bench [-- <name>[:<part>] ...]");
  for (const module of MODULES)
    console.error(`  ${module.name}: ${module.description} (parts: ${module.parts.join(", ")})`);
}

/** A part running in its own process; its output is held until it is its turn to print. */
class PartProcess {
  private held: Buffer[] = [];
  private printing = false;
  readonly exited: Promise<number>;

  constructor(readonly name: string) {
    // The same runtime and loader flags as this process (tsx), on this very script.
    const child = spawn(
      process.execPath,
      [...process.execArgv, fileURLToPath(import.meta.url), name],
      { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, [PART_PROCESS]: "1" } },
    );
    const take = (chunk: Buffer) => {
      if (this.printing) process.stdout.write(chunk);
      else this.held.push(chunk);
    };
    child.stdout.on("data", take);
    child.stderr.on("data", take);
    this.exited = new Promise((resolve, reject) => {
      child.once("error", reject);
      child.once("close", (code) => resolve(code ?? 1));
    });
  }

  /** Prints what it held back, then the rest as it comes. */
  print(): void {
    for (const chunk of this.held) process.stdout.write(chunk);
    this.held = [];
    this.printing = true;
  }
}

async function runSideBySide(module: BenchmarkModule, parts: readonly string[]): Promise<boolean> {
  console.log(`(parts ${parts.join(", ")} run side by side, one process each)`);
  const running = parts.map((part) => new PartProcess(`${module.name}:${part}`));
  let crashed = false;
  for (const part of running) {
    part.print();
    const code = await part.exited;
    if (code !== 0) {
      console.error(`${part.name} crashed (exit code ${code}).`);
      crashed = true;
    }
  }
  return !crashed;
}

async function main(): Promise<number> {
  const selection = select(process.argv.slice(2));
  if (typeof selection === "string") {
    usage(selection);
    return 2;
  }
  const asked = process.argv.slice(2).join(" ");
  const context = `${new Date().toISOString()}, load average ${os.loadavg()[0]?.toFixed(2)}`;
  const partProcess = process.env[PART_PROCESS] === "1";
  if (partProcess) {
    console.log("");
    console.log(`======== ${asked} (process ${process.pid}, ${context})`);
  } else {
    console.log(
      `Encaisse benchmarks ${asked}`.trimEnd() +
        ` (Node ${process.version}, ${os.cpus().length} CPUs, ${context})`,
    );
  }
  const start = performance.now();
  let ok = true;
  let sideBySide = false;
  for (const { module, parts } of selection) {
    const chosen = parts.length > 0 ? parts : module.parts;
    if (!partProcess) {
      console.log("");
      console.log(`##### ${module.name}: ${module.description}`);
    }
    if (chosen.length > 1) {
      sideBySide = true;
      ok = (await runSideBySide(module, chosen)) && ok;
    } else await module.run(chosen);
  }
  printTable(
    `Run of ${asked || "every benchmark"}`,
    [
      ["wall time", formatMs(performance.now() - start)],
      ["peak resident memory of this process (RSS)", formatBytes(peakRss.peakBytes)],
    ],
    sideBySide ? ["(each part's process reports its own peak above)"] : [],
  );
  peakRss.stop();
  return ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error("Benchmark crashed:", error);
    process.exit(1);
  },
);
