/**
 * The Node entry (functions/src/server.ts) as `npm start` runs it with real credentials:
 * configuration from the environment, the store opened, one JSON line on start that names
 * no secret, and a clean stop that lets the next process take the embedded store.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Logger } from "../../functions/src/backend";
import { startServer } from "../../functions/src/server";
import { prepareSandboxDatabase } from "../sandbox/database";

const SECRET = "9f8e7d6c-real-looking-client-secret";
const ENCRYPTION_KEY = Buffer.alloc(32, 3).toString("base64");

function recordingLogger(): Logger & { lines: { message: string; fields: unknown }[] } {
  const lines: { message: string; fields: unknown }[] = [];
  const record = (message: string, fields?: Record<string, unknown>) =>
    lines.push({ message, fields });
  return { lines, info: record, warn: record, error: record };
}

describe("the Node server entry", () => {
  it("serves the app on PORT, logs where it runs without a secret, and frees the store on close", async () => {
    const store = await prepareSandboxDatabase(
      join(mkdtempSync(join(tmpdir(), "encaisse-server-")), "data"),
    );
    store.release();
    const environment = {
      NODE_ENV: "development",
      PORT: "0",
      HUBSPOT_CLIENT_ID: "client-id-1234",
      HUBSPOT_CLIENT_SECRET: SECRET,
      PUBLIC_BASE_URL: "https://encaisse.example.fr",
      ENCRYPTION_KEY,
      ENCAISSE_DATA_DIR: store.dataDir,
    };
    const logger = recordingLogger();
    const server = await startServer(environment, logger);
    try {
      const response = await fetch(`http://127.0.0.1:${server.port}/health`);
      expect(await response.json()).toEqual({ status: "ok", sandbox: false, driver: "pglite" });

      expect(logger.lines).toEqual([
        {
          message: "encaisse listening",
          fields: expect.objectContaining({
            port: server.port,
            publicBaseUrl: "https://encaisse.example.fr",
            sandbox: false,
            driver: "pglite",
          }),
        },
      ]);
      const logged = JSON.stringify(logger.lines);
      for (const secret of [SECRET, ENCRYPTION_KEY, "client-id-1234"]) {
        expect(logged).not.toContain(secret);
      }

      await expect(startServer(environment, recordingLogger())).rejects.toMatchObject({
        code: "STORE_IN_USE",
      });
    } finally {
      await server.close();
    }
    const next = await startServer(environment, recordingLogger());
    await next.close();
  });

  it("refuses to start on an invalid environment, before opening anything", async () => {
    await expect(
      startServer(
        { HUBSPOT_CLIENT_ID: "client-id-1234", ENCAISSE_SANDBOX: "0" },
        recordingLogger(),
      ),
    ).rejects.toMatchObject({ code: "CONFIG_INVALID" });
  });
});
