/**
 * zod, for the extension's bundler. Parcel 2.9 (Plasmo 0.90) drops the module behind zod's
 * `import * as z …; export { z }` entry because zod declares itself free of side effects,
 * leaving `z` empty at run time ("z.string is not a function"). Using the namespace as a
 * value here keeps every export; package.json's `alias` points "zod" at this file for the
 * build only (vitest and tsc resolve the real package).
 */
// A file path, not "zod/…": the alias would rewrite that too. npm hoists zod to the root.
import * as zodNamespace from "../../../node_modules/zod/v4/classic/external.js";

export const z = zodNamespace;
export default zodNamespace;
export * from "../../../node_modules/zod/v4/classic/external.js";
