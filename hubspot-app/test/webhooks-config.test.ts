/**
 * The deal-stage webhook subscription as HubSpot will read it (parsed offline with HubSpot's
 * own parser): one `object.propertyChange` subscription on the deal's `dealstage`, delivered
 * to the backend's webhook endpoint on the same origin the cards call.
 */
import { cp, mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { translate } from "@hubspot/project-parsing-lib/translate";
import { endpoints } from "@encaisse/shared/contracts";
import { BACKEND_URL } from "../app/cards/utils/backend-url.ts";
import { WEBHOOK_PATH, configureBackend } from "../scripts/configure.ts";

const SRC_DIR = fileURLToPath(new URL("../", import.meta.url));
const UID = "encaisse_deal_stage_webhooks";

interface WebhooksConfig {
  settings: { targetUrl: string; maxConcurrentRequests: number };
  subscriptions: {
    crmObjects?: {
      subscriptionType: string;
      objectType: string;
      propertyName?: string;
      active: boolean;
    }[];
    legacyCrmObjects?: unknown[];
    hubEvents?: unknown[];
  };
}

async function webhooksOf(srcDir: string) {
  const hsproject = JSON.parse(
    await readFile(path.join(SRC_DIR, "..", "hsproject.json"), "utf8"),
  ) as { platformVersion: string };
  const { intermediateRepresentation } = await translate(
    { projectSourceDir: srcDir, platformVersion: hsproject.platformVersion },
    { skipValidation: true },
  );
  const node = intermediateRepresentation.intermediateNodesIndexedByUid[UID];
  if (node === undefined) throw new Error(`No component ${UID} in ${srcDir}.`);
  return { node, config: node.config as WebhooksConfig };
}

describe("the deal-stage webhooks component", () => {
  it("is a webhooks component of the app, in app/webhooks", async () => {
    const { node } = await webhooksOf(SRC_DIR);
    expect(node.componentType).toBe("WEBHOOKS");
    expect(node.componentDeps["app"]).toBe("encaisse_app");
    expect(node.metaFilePath).toBe("app/webhooks/webhooks-hsmeta.json");
  });

  it("subscribes to deal stage changes only, and that subscription is active", async () => {
    const { config } = await webhooksOf(SRC_DIR);
    expect(config.subscriptions.crmObjects).toEqual([
      {
        subscriptionType: "object.propertyChange",
        objectType: "deal",
        propertyName: "dealstage",
        active: true,
      },
    ]);
    expect(config.subscriptions.legacyCrmObjects ?? []).toEqual([]);
    expect(config.subscriptions.hubEvents ?? []).toEqual([]);
  });

  it("delivers to the backend's webhook endpoint, on the origin the cards call, over https", async () => {
    const { config } = await webhooksOf(SRC_DIR);
    expect(WEBHOOK_PATH).toBe(endpoints.hubspotWebhook.path);
    expect(config.settings.targetUrl).toBe(`${BACKEND_URL}${WEBHOOK_PATH}`);
    expect(new URL(config.settings.targetUrl).protocol).toBe("https:");
    expect(config.settings.maxConcurrentRequests).toBeGreaterThanOrEqual(5);
  });

  it("follows the backend when the project is pointed at another origin", async () => {
    const copy = await mkdtemp(path.join(os.tmpdir(), "encaisse-webhooks-"));
    try {
      await cp(path.join(SRC_DIR, "app"), path.join(copy, "app"), {
        recursive: true,
        filter: (source) => !source.includes("node_modules"),
      });
      await configureBackend(path.join(copy, "app"), "https://api.client.fr");
      const { config } = await webhooksOf(copy);
      expect(config.settings.targetUrl).toBe(`https://api.client.fr${WEBHOOK_PATH}`);
    } finally {
      await rm(copy, { recursive: true, force: true });
    }
  });
});
