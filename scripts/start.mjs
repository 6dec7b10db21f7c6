// `npm start`: runs the product. Sandbox mode (emulated HubSpot, Pennylane and Sage Active
// with a seeded book, embedded database) is the default when no real credentials are set.
import { existsSync } from "node:fs";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const server = `${root}functions/src/server.ts`;

if (!existsSync(server)) {
  console.log(`Encaisse — not runnable yet.

What exists today:
  shared/      the domain core (money, VAT, dates, statuses, analytics, penalties,
               dunning, identifiers, matching, API contracts) — run \`npm test\`.
  test/        provider emulators and the seed book (Pennylane, Sage Active).

Still to come: the backend server (functions/src/server.ts) with the sandbox, the
HubSpot cards and the browser extension. See README.md.`);
  process.exit(0);
}

const child = spawn(process.execPath, ["--import", "tsx", server, ...process.argv.slice(2)], {
  stdio: "inherit",
  cwd: root,
});
child.on("exit", (code) => process.exit(code ?? 0));
