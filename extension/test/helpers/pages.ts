import { readFileSync } from "node:fs";
import { join } from "node:path";

/** A saved accounting page, parsed as the browser would. */
export function fixture(name: string): Document {
  const html = readFileSync(join(import.meta.dirname, "..", "fixtures", name), "utf8");
  return new DOMParser().parseFromString(html, "text/html");
}
