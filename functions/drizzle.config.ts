/**
 * drizzle-kit reads the schema and writes SQL migrations to `functions/drizzle/`.
 * Run from the repository root: npx drizzle-kit generate --config functions/drizzle.config.ts
 */
import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "postgresql",
  schema: "./functions/src/store/schema.ts",
  out: "./functions/drizzle",
});
