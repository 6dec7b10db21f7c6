/**
 * The HubSpot project as `hs project upload` would send it, parsed offline with HubSpot's
 * own parser: the components, their uids (never renamed once uploaded), where each card
 * shows and what it runs, the scopes the backend asks for, and the backend origin.
 */
import { cp, mkdtemp, readFile, rm } from "node:fs/promises";
import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { translate } from "@hubspot/project-parsing-lib/translate";
import {
  collectFileDependencies,
  findAndParsePackageJsonFiles,
} from "@hubspot/project-parsing-lib/workspaces";
import { HUBSPOT_REQUIRED_SCOPES } from "../../functions/src/hubspot/oauth";
import { BACKEND_URL } from "../app/cards/utils/backend-url.ts";
import { OAUTH_CALLBACK_PATH, backendOriginOf, configureBackend } from "../scripts/configure.ts";

const REPO = fileURLToPath(new URL("../../", import.meta.url));
const readJson = async (file: string): Promise<unknown> =>
  JSON.parse(await readFile(file, "utf8")) as unknown;

interface HsProject {
  name: string;
  srcDir: string;
  platformVersion: string;
}

async function parseProject(srcDir: string) {
  const project = (await readJson(path.join(REPO, "hsproject.json"))) as HsProject;
  const { intermediateRepresentation, skippedHsMetaFiles } = await translate(
    { projectSourceDir: srcDir, platformVersion: project.platformVersion },
    { skipValidation: true },
  );
  return { nodes: intermediateRepresentation.intermediateNodesIndexedByUid, skippedHsMetaFiles };
}

interface AppConfig {
  distribution: string;
  auth: {
    type: string;
    redirectUrls: string[];
    requiredScopes: string[];
    optionalScopes: string[];
  };
  permittedUrls: { fetch: string[] };
  support: { supportEmail: string; documentationUrl: string; supportUrl: string };
}
interface CardConfig {
  name: string;
  location: string;
  entrypoint: string;
  objectTypes: string[];
}

const SRC_DIR = path.join(REPO, "hubspot-app");

describe("the HubSpot project", () => {
  it("is a platform 2025.2 project whose source is hubspot-app", async () => {
    expect(await readJson(path.join(REPO, "hsproject.json"))).toMatchObject({
      srcDir: "hubspot-app",
      platformVersion: "2025.2",
    });
  });

  it("parses offline with HubSpot's parser, every component found and none skipped", async () => {
    const { nodes, skippedHsMetaFiles } = await parseProject(SRC_DIR);
    expect(skippedHsMetaFiles).toEqual([]);
    expect(
      Object.fromEntries(Object.values(nodes).map((node) => [node.uid, node.componentType])),
    ).toEqual({
      encaisse_app: "APPLICATION",
      encaisse_invoices_card: "CARD",
      encaisse_receivables_summary_card: "CARD",
      encaisse_settings: "SETTINGS",
      encaisse_deal_stage_webhooks: "WEBHOOKS",
    });
    for (const node of Object.values(nodes)) {
      if (node.uid !== "encaisse_app") expect(node.componentDeps["app"]).toBe("encaisse_app");
    }
  });

  it("keeps every uid it was uploaded with, in the same file (a new uid is a new component)", async () => {
    const { nodes } = await parseProject(SRC_DIR);
    const committed = await readJson(path.join(SRC_DIR, "test", "uids.json"));
    expect(
      Object.fromEntries(Object.values(nodes).map((node) => [node.uid, node.metaFilePath])),
    ).toEqual(committed);
  });

  it.each([
    {
      uid: "encaisse_invoices_card",
      location: "crm.record.tab",
      entrypoint: "/app/cards/InvoicesCard.tsx",
    },
    {
      uid: "encaisse_receivables_summary_card",
      location: "crm.record.sidebar",
      entrypoint: "/app/cards/SummaryCard.tsx",
    },
  ])(
    "card $uid shows in $location on companies, contacts and deals, from a file that exists",
    async ({ uid, location, entrypoint }) => {
      const { nodes } = await parseProject(SRC_DIR);
      const config = nodes[uid]?.config as CardConfig;
      expect(config).toMatchObject({ location, entrypoint });
      expect([...config.objectTypes].sort()).toEqual(["companies", "contacts", "deals"]);
      expect(existsSync(path.join(SRC_DIR, entrypoint))).toBe(true);
    },
  );

  it("has a settings page whose entrypoint exists", async () => {
    const { nodes } = await parseProject(SRC_DIR);
    const config = nodes["encaisse_settings"]?.config as { entrypoint: string };
    expect(existsSync(path.join(SRC_DIR, config.entrypoint))).toBe(true);
  });

  describe("the app", () => {
    const appConfig = async () =>
      (await parseProject(SRC_DIR)).nodes["encaisse_app"]?.config as AppConfig;

    it("is a marketplace app installed with OAuth, with its support links", async () => {
      const config = await appConfig();
      expect(config.distribution).toBe("marketplace");
      expect(config.auth.type).toBe("oauth");
      expect(config.support.supportEmail).toMatch(/^[^@\s]+@[^@\s]+$/);
      for (const link of [config.support.documentationUrl, config.support.supportUrl]) {
        expect(new URL(link).protocol).toBe("https:");
      }
    });

    it("requires exactly the scopes the backend asks for at install, no more", async () => {
      const { auth } = await appConfig();
      expect([...auth.requiredScopes].sort()).toEqual([...HUBSPOT_REQUIRED_SCOPES].sort());
      expect(auth.optionalScopes.filter((scope) => auth.requiredScopes.includes(scope))).toEqual(
        [],
      );
    });

    it("can read every object type a card is placed on", async () => {
      const { nodes } = await parseProject(SRC_DIR);
      const { auth } = nodes["encaisse_app"]?.config as AppConfig;
      const placedOn = Object.values(nodes)
        .filter((node) => node.componentType === "CARD")
        .flatMap((node) => (node.config as CardConfig).objectTypes);
      for (const objectType of placedOn) {
        expect(auth.requiredScopes).toContain(`crm.objects.${objectType}.read`);
      }
    });

    it("lets the cards fetch the backend origin they call, and installs back to its callback", async () => {
      const config = await appConfig();
      expect(config.permittedUrls.fetch).toEqual([BACKEND_URL]);
      expect(backendOriginOf(BACKEND_URL)).toBe(BACKEND_URL);
      expect(config.auth.redirectUrls).toEqual([`${BACKEND_URL}${OAUTH_CALLBACK_PATH}`]);
    });
  });

  it("maps the backend origin to a local server in the local.json example", async () => {
    const example = (await readJson(path.join(SRC_DIR, "app", "local.json.example"))) as {
      proxy: Record<string, string>;
    };
    expect(Object.keys(example.proxy)).toEqual([BACKEND_URL]);
    expect(new URL(example.proxy[BACKEND_URL] ?? "").hostname).toBe("localhost");
  });

  it.each(["cards", "settings"])(
    "builds the %s with the React and ui-extensions versions the tests run, and uploads the shared package with them",
    async (component) => {
      const workspace = (await readJson(path.join(SRC_DIR, "package.json"))) as {
        dependencies: Record<string, string>;
      };
      const own = (await readJson(path.join(SRC_DIR, "app", component, "package.json"))) as {
        dependencies: Record<string, string>;
      };
      for (const name of ["react", "@hubspot/ui-extensions"]) {
        expect(own.dependencies[name]).toBe(workspace.dependencies[name]);
      }
      const local = await collectFileDependencies(
        await findAndParsePackageJsonFiles(path.join(SRC_DIR, "app", component)),
      );
      expect(local.map((dependency) => [dependency.packageName, dependency.localPath])).toEqual([
        ["@encaisse/shared", path.join(REPO, "shared")],
      ]);
    },
  );
});

describe("pointing the project at a deployed backend (scripts/configure.ts)", () => {
  it.each([
    { given: undefined, refused: /Set ENCAISSE_BACKEND_URL/ },
    { given: "api.encaisse.fr", refused: /is not a URL/ },
    { given: "http://api.encaisse.fr", refused: /must use https/ },
    { given: "https://localhost:3000", refused: /cannot be localhost/ },
    { given: "https://api.encaisse.fr/v1", refused: /origin only/ },
    { given: "https://api.encaisse.fr/?x=1", refused: /origin only/ },
  ])("refuses $given", ({ given, refused }) => {
    expect(() => backendOriginOf(given)).toThrow(refused);
  });

  it.each([
    { given: "https://api.encaisse.fr", origin: "https://api.encaisse.fr" },
    { given: "https://API.Encaisse.fr/", origin: "https://api.encaisse.fr" },
    { given: " https://api.encaisse.fr:8443 ", origin: "https://api.encaisse.fr:8443" },
  ])("takes $given as $origin", ({ given, origin }) => {
    expect(backendOriginOf(given)).toBe(origin);
  });

  it("rewrites permittedUrls.fetch, the OAuth redirect and the cards' backend URL, and the project still parses", async () => {
    const copy = await mkdtemp(path.join(os.tmpdir(), "encaisse-hubspot-"));
    try {
      await cp(path.join(SRC_DIR, "app"), path.join(copy, "app"), {
        recursive: true,
        filter: (source) => !source.includes("node_modules"),
      });
      const origin = await configureBackend(path.join(copy, "app"), "https://api.client.fr/");
      expect(origin).toBe("https://api.client.fr");

      const { nodes } = await parseProject(copy);
      const app = nodes["encaisse_app"]?.config as AppConfig;
      expect(app.permittedUrls.fetch).toEqual(["https://api.client.fr"]);
      expect(app.auth.redirectUrls).toEqual([`https://api.client.fr${OAUTH_CALLBACK_PATH}`]);
      expect(app.auth.requiredScopes).toEqual(
        ((await parseProject(SRC_DIR)).nodes["encaisse_app"]?.config as AppConfig).auth
          .requiredScopes,
      );
      const constant = await readFile(path.join(copy, "app/cards/utils/backend-url.ts"), "utf8");
      expect(constant).toContain('export const BACKEND_URL = "https://api.client.fr";');
      expect(constant).not.toContain(BACKEND_URL);
    } finally {
      await rm(copy, { recursive: true, force: true });
    }
  });
});
