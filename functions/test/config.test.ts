import { describe, expect, it } from "vitest";
import { loadConfig } from "../src/config";

describe("configuration from the environment", () => {
  it("runs the sandbox when no HubSpot app is configured, with real-service defaults for URLs", () => {
    const config = loadConfig({});
    expect(config.sandbox).toBe(true);
    expect(config.HUBSPOT_API_URL).toBe("https://api.hubapi.com");
    expect(config.PENNYLANE_API_URL).toBe("https://app.pennylane.com");
    expect(config.SAGE_ACTIVE_API_URL).toBe("https://api.fr.active.sage.com/graphql");
    expect(config.publicBaseUrl).toBe("http://localhost:3000");
  });

  it("talks to the real services when credentials are set", () => {
    const config = loadConfig({
      HUBSPOT_CLIENT_ID: "id",
      HUBSPOT_CLIENT_SECRET: "secret",
      PUBLIC_BASE_URL: "https://api.encaisse.fr",
      NODE_ENV: "production",
      ENCRYPTION_KEY: "k".repeat(44),
    });
    expect(config.sandbox).toBe(false);
    expect(config.publicBaseUrl).toBe("https://api.encaisse.fr");
  });

  it("refuses to start in production without an encryption key, naming what is missing", () => {
    expect(() =>
      loadConfig({
        HUBSPOT_CLIENT_ID: "id",
        HUBSPOT_CLIENT_SECRET: "s",
        PUBLIC_BASE_URL: "https://a.fr",
        NODE_ENV: "production",
      }),
    ).toThrowError(
      expect.objectContaining({ code: "CONFIG_INVALID", details: { missing: ["ENCRYPTION_KEY"] } }),
    );
  });

  it("refuses real mode with half a configuration", () => {
    expect(() => loadConfig({ HUBSPOT_CLIENT_ID: "id" })).toThrowError(
      /HUBSPOT_CLIENT_SECRET, PUBLIC_BASE_URL/,
    );
  });

  it("refuses malformed values with the variable's name", () => {
    expect(() => loadConfig({ PORT: "http" })).toThrowError(/PORT/);
    expect(() => loadConfig({ DATABASE_URL: "mysql://x" })).toThrowError(
      /DATABASE_URL must be a postgres/,
    );
    expect(() => loadConfig({ ENCAISSE_SANDBOX: "1", NODE_ENV: "production" })).toThrowError(
      /sandbox cannot run/,
    );
  });
});
