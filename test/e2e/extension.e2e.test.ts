/**
 * The browser extension end to end, in a real Chromium (Debian's package, driven by
 * playwright-core): the test build loaded unpacked, the sandbox backend over HTTP with its
 * emulated HubSpot and Pennylane, and a local page shaped like a Pennylane invoice page on
 * http://localhost. The extension is paired with a code from the backend, the content script
 * reads the invoice from the page, the side panel (opened as its own page, which Playwright
 * can drive) shows the HubSpot company and its open deals, and a note logged from the panel
 * lands in emulated HubSpot. How long the panel takes to show the context is printed; a
 * screenshot of the panel is kept in test/e2e/artifacts/.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type BrowserContext, type Page, type Worker, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "../../functions/src/backend";
import type { InvoiceRecord } from "../emulators/pennylane/records";
import { demoPairingCode } from "../sandbox/pairing";
import { type Sandbox, startSandbox } from "../sandbox/sandbox";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const EXTENSION_DIR = join(ROOT, "extension");
/** An already built test build to load instead (when debugging a build by hand). */
const PREBUILT = process.env.ENCAISSE_EXTENSION_BUILD;
const BUILD_DIR = PREBUILT ?? join(EXTENSION_DIR, "build", "chrome-mv3-test");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ARTIFACTS = join(ROOT, "test", "e2e", "artifacts");
/** "Within 300 ms of opening with a warm backend": what the issue asks of the panel. */
const WARM_TARGET_MS = 300;
const WARM_OPENINGS = 5;
const CLOSED_STAGES = new Set(["closedwon", "closedlost"]);
/** Two cores in CI, and a first Chromium start: be patient, not flaky. */
const UI_TIMEOUT_MS = 30_000;

/** The globals of an extension page or worker that the test touches. */
interface ExtensionGlobals {
  chrome: {
    storage: {
      local: {
        set(items: Record<string, string>): Promise<void>;
        get(key: string): Promise<Record<string, string | undefined>>;
      };
    };
    runtime: { onMessage: { hasListeners(): boolean } };
  };
}

// ---------------------------------------------------------------- the extension build

function newestChange(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path)
    .filter((name) => name !== "node_modules" && name !== "build" && name !== ".plasmo")
    .reduce((newest, name) => Math.max(newest, newestChange(join(path, name))), stat.mtimeMs);
}

/** Builds the test build (localhost pages and backend allowed) unless it is up to date. */
function ensureTestBuild(): void {
  if (PREBUILT !== undefined) return;
  const manifest = join(BUILD_DIR, "manifest.json");
  const sources = [join(EXTENSION_DIR, "src"), join(EXTENSION_DIR, "package.json")];
  if (existsSync(manifest)) {
    const builtAt = statSync(manifest).mtimeMs;
    if (sources.every((source) => newestChange(source) <= builtAt)) return;
  }
  const build = spawnSync("npm", ["run", "build:test", "-w", "extension"], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 300_000,
    env: {
      ...process.env,
      // What the test tag's .env file says, given here too so the build never depends on it.
      PLASMO_PUBLIC_TEST_PAGES_MATCH: "http://localhost/*",
      PLASMO_PUBLIC_ALLOW_BACKEND_OVERRIDE: "1",
    },
  });
  if (build.status !== 0 || !existsSync(manifest)) {
    throw new Error(`The extension's test build failed:\n${build.stdout}\n${build.stderr}`);
  }
}

// ---------------------------------------------------------------- the fake Pennylane page

interface FakeInvoicePage {
  readonly url: string;
  close(): Promise<void>;
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);

/**
 * An invoice drawer over the invoice list, at Pennylane's own address shape
 * (`/companies/<id>/clients/customer_invoices?invoice_id=<id>`) under the `/pennylane` prefix
 * the test build reads as Pennylane.
 */
async function serveInvoicePage(input: {
  readonly invoiceId: string;
  readonly invoiceNumber: string;
  readonly customerName: string;
}): Promise<FakeInvoicePage> {
  const html = `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Factures clients - Pennylane</title></head>
<body><main>
  <h1>Factures clients</h1>
  <div role="dialog" aria-label="Facture">
    <h2>Facture ${escapeHtml(input.invoiceNumber)}</h2>
    <dl><dt>Client</dt><dd>${escapeHtml(input.customerName)}</dd></dl>
  </div>
</main></body></html>`;
  const server: Server = createServer((_request, response) => {
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    response.end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://localhost:${port}/pennylane/companies/1/clients/customer_invoices?invoice_id=${input.invoiceId}&subtab=all`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

// ---------------------------------------------------------------- the browser

async function launchWithExtension(userDataDir: string): Promise<{
  context: BrowserContext;
  worker: Worker;
  extensionId: string;
}> {
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: false,
    viewport: { width: 420, height: 900 },
    args: [
      "--headless=new",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--lang=fr-FR",
      `--disable-extensions-except=${BUILD_DIR}`,
      `--load-extension=${BUILD_DIR}`,
    ],
  });
  const worker =
    context.serviceWorkers()[0] ??
    (await context.waitForEvent("serviceworker", { timeout: UI_TIMEOUT_MS }));
  return { context, worker, extensionId: new URL(worker.url()).host };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

// ---------------------------------------------------------------- the test

describe("the browser extension in Chromium, against the sandbox backend", () => {
  let sandbox: Sandbox;
  let invoicePage: FakeInvoicePage;
  let context: BrowserContext;
  let worker: Worker;
  let extensionId: string;
  let userDataDir: string;
  let invoice: InvoiceRecord;
  let companyName: string;
  let openDealNames: string[];

  const hubspotPortal = () => sandbox.emulators.hubspot.emulator.portal(Number(sandbox.portalId));
  const panelUrl = () => `chrome-extension://${extensionId}/sidepanel.html`;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does it).`);
    }
    ensureTestBuild();
    sandbox = await startSandbox({
      port: 0,
      dataDir: join(mkdtempSync(join(tmpdir(), "encaisse-extension-e2e-")), "sandbox"),
      logger: silentLogger,
    });

    // The demo company: its Pennylane customer, one of its finalized invoices, its HubSpot side.
    const ledger = sandbox.emulators.pennylane.emulator.ledger;
    const customer = [...ledger.customers.values()].find(
      (candidate) => candidate.externalReference === `book-${sandbox.demoCompany.key}`,
    );
    const found = [...ledger.invoices.values()].find(
      (candidate) =>
        candidate.customerId === customer?.id && candidate.number !== null && !candidate.creditNote,
    );
    if (customer === undefined || found === undefined) {
      throw new Error("The demo company has no finalized invoice in the emulated Pennylane.");
    }
    invoice = found;
    const portal = hubspotPortal();
    const company = portal.objects.get("companies", sandbox.demoCompany.hubspotId);
    companyName = company?.values.get("name") ?? "";
    openDealNames = portal.associations
      .list("companies", sandbox.demoCompany.hubspotId, "deals")
      .map((association) => portal.objects.get("deals", association.toId))
      .filter((deal) => deal !== undefined)
      .filter((deal) => !CLOSED_STAGES.has(deal.values.get("dealstage") ?? ""))
      .map((deal) => deal.values.get("dealname") ?? "")
      .sort();
    expect(companyName).not.toBe("");

    invoicePage = await serveInvoicePage({
      invoiceId: String(invoice.id),
      invoiceNumber: invoice.number ?? "",
      customerName: customer.name,
    });
    userDataDir = mkdtempSync(join(tmpdir(), "encaisse-chromium-"));
    ({ context, worker, extensionId } = await launchWithExtension(userDataDir));
    // A worker whose bundle failed to run registers nothing, and every panel would only spin.
    const listening = await worker.evaluate(() => {
      const { chrome } = globalThis as unknown as ExtensionGlobals;
      return chrome.runtime.onMessage.hasListeners();
    });
    if (!listening) {
      throw new Error(
        `The extension's background worker (${worker.url()}) registered no message listener: its bundle failed while loading.`,
      );
    }
    // The test build accepts a localhost backend on any port (production builds ignore this).
    await worker.evaluate(async (backendUrl) => {
      const { chrome } = globalThis as unknown as ExtensionGlobals;
      await chrome.storage.local.set({ backendUrlOverride: JSON.stringify(backendUrl) });
    }, sandbox.url);
  }, 600_000);

  afterAll(async () => {
    await context?.close();
    await invoicePage?.close();
    await sandbox?.close();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  }, 60_000);

  it("pairs with a code from the settings page, shows the invoice's HubSpot company and deals, and logs a note to HubSpot", async () => {
    // Pairing: the code HubSpot's settings page would show, typed in the panel.
    const { code } = await demoPairingCode(sandbox);
    const pairing = await context.newPage();
    await pairing.goto(panelUrl());
    await pairing.locator('input[autocomplete="one-time-code"]').fill(code);
    await pairing.locator('form button[type="submit"]').click();
    await pairing.locator('input[autocomplete="one-time-code"]').waitFor({
      state: "detached",
      timeout: UI_TIMEOUT_MS,
    });
    await pairing.close();

    // The accounting page: the content script reads the invoice and tells the worker.
    const accounting = await context.newPage();
    await accounting.goto(invoicePage.url);

    // First opening: the backend may still refresh the customer from Pennylane.
    const panel = await context.newPage();
    const coldMs = await openPanelAndTime(panel);
    const headline = panel.locator("p.headline");
    expect(await headline.textContent()).toBe(companyName);
    const shownDeals = (await panel.locator("ul.rows li a").allTextContents())
      .filter((name) => openDealNames.includes(name))
      .sort();
    expect(shownDeals).toEqual(openDealNames);
    mkdirSync(ARTIFACTS, { recursive: true });
    await panel.screenshot({ path: join(ARTIFACTS, "extension-panel.png"), fullPage: true });

    // Warm openings: what a user sees every time after the first.
    const warm: number[] = [];
    for (let opening = 0; opening < WARM_OPENINGS; opening += 1) {
      warm.push(await openPanelAndTime(panel));
    }
    // The backend's own share of it: the same request the panel's worker sends.
    const stored = await worker.evaluate(async () => {
      const { chrome } = globalThis as unknown as ExtensionGlobals;
      return (await chrome.storage.local.get("pairing"))["pairing"] ?? "null";
    });
    const { token } = JSON.parse(stored) as { token: string };
    const backendMs: number[] = [];
    for (let call = 0; call < WARM_OPENINGS; call += 1) {
      const started = performance.now();
      const response = await fetch(
        `${sandbox.url}/v1/extension/context?provider=pennylane&invoiceId=${invoice.id}`,
        { headers: { authorization: `Bearer ${token}` } },
      );
      expect(response.status).toBe(200);
      await response.json();
      backendMs.push(Math.round(performance.now() - started));
    }
    process.stdout.write(
      `extension backend: GET /v1/extension/context answered in ${backendMs.join(", ")} ms (median ${median(backendMs)} ms)\n`,
    );
    process.stdout.write(
      `extension panel: context shown ${coldMs} ms after opening (first), warm ${warm.join(", ")} ms (median ${median(warm)} ms, target < ${WARM_TARGET_MS} ms)\n`,
    );
    // The 300 ms target is measured and printed; the assertion only catches a panel that went
    // pathologically slow, with room for a loaded 2-core CI machine.
    expect(median(warm)).toBeLessThan(WARM_TARGET_MS * 10);

    // A note from the panel reaches HubSpot, on the company.
    const noteText = `Appel du ${new Date().toISOString()} : règlement de ${invoice.number ?? ""} promis.`;
    const noteForm = panel
      .locator("form:not(:has(input))")
      .filter({ has: panel.locator("textarea") });
    await noteForm.locator("textarea").fill(noteText);
    await noteForm.locator('button[type="submit"]').click();
    await panel.locator('p[role="status"]').first().waitFor({ timeout: UI_TIMEOUT_MS });
    const portal = hubspotPortal();
    const notes = portal.associations
      .list("companies", sandbox.demoCompany.hubspotId, "notes")
      .map((association) => portal.objects.get("notes", association.toId))
      .filter((note) => note?.values.get("hs_note_body") === noteText);
    expect(notes).toHaveLength(1);
    await panel.screenshot({ path: join(ARTIFACTS, "extension-panel-note.png"), fullPage: true });
  }, 300_000);

  /** Opens the panel page and waits for the company: ms from navigation to context shown. */
  async function openPanelAndTime(panel: Page): Promise<number> {
    const started = performance.now();
    await panel.goto(panelUrl());
    await panel
      .locator("p.headline", { hasText: companyName })
      .waitFor({ state: "visible", timeout: UI_TIMEOUT_MS });
    return Math.round(performance.now() - started);
  }
});
