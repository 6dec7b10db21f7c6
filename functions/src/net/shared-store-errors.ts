/**
 * Database failures that mean "not now" rather than "wrong": the server is full
 * (`max_connections`), restarting, or a connection dropped. Retrying a moment later is right
 * for them, and a job that still fails on one says STORE_UNAVAILABLE, not INTERNAL. Drizzle
 * wraps the driver's error, so the whole `cause` chain is read.
 */

/** SQLSTATE classes: connection exception, insufficient resources, operator intervention. */
const UNAVAILABLE_CLASSES = new Set(["08", "53", "57"]);
/** What the socket says when the server is gone. */
const UNAVAILABLE_NODE_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT"]);

export function isStoreUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; depth < 5; depth += 1) {
    if (typeof current !== "object" || current === null) return false;
    const { code, message, cause } = current as {
      code?: unknown;
      message?: unknown;
      cause?: unknown;
    };
    if (typeof code === "string") {
      if (/^[0-9A-Z]{5}$/.test(code) && UNAVAILABLE_CLASSES.has(code.slice(0, 2))) return true;
      if (UNAVAILABLE_NODE_CODES.has(code)) return true;
    }
    // node-postgres' own words when the server closes a connection mid-query.
    if (typeof message === "string" && /^Connection terminated/.test(message)) return true;
    current = cause;
  }
  return false;
}
