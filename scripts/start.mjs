// `npm start`: runs the product from its TypeScript sources through tsx (no build step).
// With real HubSpot credentials (HUBSPOT_CLIENT_ID set, ENCAISSE_SANDBOX not "1") it serves
// the backend against the real services (functions/src/server.ts); otherwise, or with
// ENCAISSE_SANDBOX=1, the sandbox: emulated HubSpot, Pennylane and Sage Active seeded with a
// realistic book, an embedded database and a demo tenant (test/sandbox/start.ts).
import { spawn } from "node:child_process";
import { constants } from "node:os";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const { HUBSPOT_CLIENT_ID, ENCAISSE_SANDBOX } = process.env;
// The same rule as the configuration (functions/src/config.ts): ENCAISSE_SANDBOX=0 asks for
// real mode, and real mode then says what it misses.
const real = ENCAISSE_SANDBOX === "0" || (Boolean(HUBSPOT_CLIENT_ID) && ENCAISSE_SANDBOX !== "1");
const entry = real ? "functions/src/server.ts" : "test/sandbox/start.ts";

const child = spawn(
  process.execPath,
  ["--import", "tsx", `${root}${entry}`, ...process.argv.slice(2)],
  {
    stdio: "inherit",
    cwd: root,
    env: { ...process.env, ENCAISSE_STARTED_AT: String(Date.now()) },
  },
);

// Ctrl-C reaches both processes from the terminal; a `kill` reaches only this one: pass it on.
// The child stops gracefully once, whatever the number of signals.
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => child.kill(signal));
}
child.on("exit", (code, signal) => {
  process.exit(code ?? (signal ? 128 + (constants.signals[signal] ?? 0) : 1));
});
