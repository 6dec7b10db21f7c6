/**
 * Prints the size of every JavaScript file of a built extension and their total, the figure
 * held under the 250 KB budget. Usage: node scripts/size.mjs [build/chrome-mv3-prod]
 */
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

function javascriptFiles(directory) {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return javascriptFiles(path);
    return entry.name.endsWith(".js") ? [path] : [];
  });
}

const kilobytes = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

/** Prints one line per file and the total; returns the total in bytes. */
export function printSizes(buildDirectory) {
  const files = javascriptFiles(buildDirectory).map((path) => ({
    path: relative(buildDirectory, path),
    bytes: statSync(path).size,
  }));
  files.sort((a, b) => b.bytes - a.bytes);
  for (const file of files) console.log(`${kilobytes(file.bytes).padStart(10)}  ${file.path}`);
  const total = files.reduce((sum, file) => sum + file.bytes, 0);
  console.log(`${kilobytes(total).padStart(10)}  total production JavaScript (${buildDirectory})`);
  return total;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  printSizes(
    process.argv[2] ??
      join(fileURLToPath(new URL("..", import.meta.url)), "build", "chrome-mv3-prod"),
  );
}
