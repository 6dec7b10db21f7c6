/** The backend's log in the sandbox terminal: one readable line per event, on stderr. */
import type { Logger } from "../../functions/src/backend";

export function consoleLogger(
  write: (line: string) => void = (line) => process.stderr.write(line),
): Logger {
  const line = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    const extra = fields && Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : "";
    write(`[encaisse] ${level}: ${message}${extra}\n`);
  };
  return { info: line("info"), warn: line("warn"), error: line("error") };
}
