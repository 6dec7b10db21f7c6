#!/usr/bin/env node
// `npx encaisse <command>`: the operator CLI, run from its TypeScript sources through tsx
// (no build step), like `npm start`.
import { register } from "tsx/esm/api";

register();
const { runCli } = await import("../src/cli/main.ts");
// Exit at once: an idle keep-alive socket must not hold the terminal.
process.exit(await runCli(process.argv.slice(2)));
