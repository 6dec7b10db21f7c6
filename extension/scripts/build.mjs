/**
 * `plasmo build --zip` with the one backend setting turned into its host permission, then the
 * size of the production JavaScript. Usage: node scripts/build.mjs [--tag=test]
 *
 * PLASMO_PUBLIC_BACKEND_URL (environment, or the tag's .env file) is the only backend setting;
 * the manifest needs it as a match pattern, which Plasmo cannot derive, so it is computed here.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseEnv } from "node:util";
import { printSizes } from "./size.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const tagArgument = process.argv.find((argument) => argument.startsWith("--tag="));
const tag = tagArgument ? tagArgument.slice("--tag=".length) : "prod";
const SANDBOX_BACKEND = "http://localhost:3000";

/** Same precedence as Plasmo: the process environment, then the tag's file, then the generic ones. */
function setting(name) {
  if (process.env[name]) return process.env[name];
  for (const file of [`.env.${tag}.local`, `.env.${tag}`, ".env.production", ".env"]) {
    const path = join(root, file);
    if (!existsSync(path)) continue;
    const value = parseEnv(readFileSync(path, "utf8"))[name];
    if (value) return value;
  }
  return undefined;
}

let backendUrl = setting("PLASMO_PUBLIC_BACKEND_URL");
if (!backendUrl) {
  backendUrl = SANDBOX_BACKEND;
  console.warn(
    `PLASMO_PUBLIC_BACKEND_URL is not set: this build talks to the local sandbox (${SANDBOX_BACKEND}).`,
  );
}
const backend = new URL(backendUrl);
if (backend.protocol !== "https:" && backend.hostname !== "localhost") {
  console.error(`The backend must be served over HTTPS (got ${backend.origin}).`);
  process.exit(1);
}

// The contract's JSON Schemas are regenerated from the shared zod schemas on every build.
const contract = spawnSync("npx", ["tsx", "scripts/contract.ts"], { cwd: root, stdio: "inherit" });
if (contract.status !== 0) process.exit(contract.status ?? 1);

const backendMatch = `${backend.protocol}//${backend.hostname}/*`;
const plasmo = spawnSync("npx", ["plasmo", "build", "--zip", "--hoist", `--tag=${tag}`], {
  cwd: root,
  stdio: "inherit",
  env: {
    ...process.env,
    PLASMO_PUBLIC_BACKEND_URL: backend.origin,
    // A match pattern ignores ports, so a local backend on any port is one pattern; the
    // placeholder is dropped (empty) when the test pages' pattern already covers it.
    PLASMO_PUBLIC_BACKEND_MATCH:
      backendMatch === setting("PLASMO_PUBLIC_TEST_PAGES_MATCH") ? "" : backendMatch,
  },
});
if (plasmo.status !== 0) process.exit(plasmo.status ?? 1);

const total = printSizes(join(root, "build", `chrome-mv3-${tag}`));
const BUDGET = 250 * 1024;
if (total > BUDGET) {
  console.error(`Production JavaScript is ${total} bytes, over the ${BUDGET}-byte budget.`);
  process.exit(1);
}
