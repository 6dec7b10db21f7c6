/**
 * Writes src/api/contract.generated.json: method, path and JSON Schema of each endpoint the
 * extension calls, derived from the shared zod contract. The extension checks every answer
 * against these instead of bundling zod, which would cost ~100 KB of the 250 KB budget
 * (React alone is ~140 KB). test/contract.test.ts fails when this file is out of date.
 *
 * Usage: npx tsx scripts/contract.ts [--check]
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { endpoints, errorBodySchema } from "@encaisse/shared/contracts";

const EXTENSION_ENDPOINTS = [
  "pairExtension",
  "extensionContext",
  "extensionSearch",
  "extensionNote",
  "extensionTask",
] as const;

function jsonSchemaOf(schema: z.ZodType, io: "input" | "output"): unknown {
  // Refinements (safe-integer cents, calendar dates) have no JSON Schema form; the backend
  // enforces them, the panel only displays.
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any" });
  return rest;
}

export function extensionContract() {
  const described = Object.fromEntries(
    EXTENSION_ENDPOINTS.map((name) => {
      const endpoint = endpoints[name];
      return [
        name,
        {
          method: endpoint.method,
          path: endpoint.path,
          response: jsonSchemaOf(endpoint.response, "output"),
          ...("body" in endpoint ? { body: jsonSchemaOf(endpoint.body, "input") } : {}),
        },
      ];
    }),
  );
  return { endpoints: described, errorBody: jsonSchemaOf(errorBodySchema, "output") };
}

export const CONTRACT_FILE = join(
  import.meta.dirname,
  "..",
  "src",
  "api",
  "contract.generated.json",
);

export function contractText(): string {
  return `${JSON.stringify(extensionContract(), null, 2)}\n`;
}

if (process.argv[1] === import.meta.filename) {
  const text = contractText();
  if (process.argv.includes("--check")) {
    if (readFileSync(CONTRACT_FILE, "utf8") !== text) {
      console.error(`${CONTRACT_FILE} is out of date: run npm run contract -w extension.`);
      process.exit(1);
    }
  } else {
    writeFileSync(CONTRACT_FILE, text);
    console.log(`wrote ${CONTRACT_FILE}`);
  }
}
