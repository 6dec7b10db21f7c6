/**
 * `npm start` without real credentials: the sandbox (see sandbox.ts), a banner with what to
 * try, and Ctrl-C to stop everything. PORT picks the backend's port (default 3000).
 *
 * On a first start the database template takes seconds to build: it starts before anything
 * else loads, and the rest of the modules load meanwhile.
 */
import { ensureStoreTemplate } from "./template";

const template = ensureStoreTemplate();

// `npm start` stamps its own start, so the figure covers the whole wait, tsx included.
const startedAt = Number(process.env.ENCAISSE_STARTED_AT) || performance.timeOrigin;
const port = Number(process.env.PORT ?? 3000);

function fail(code: string, message: string): never {
  process.stderr.write(`error ${code}: ${message}\n`);
  process.exit(1);
}

if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  fail("CONFIG_INVALID", `PORT must be a port number, got "${process.env.PORT}".`);
}

process.stdout.write("Starting the Encaisse sandbox: emulators, database, demo tenant…\n");
const [{ DomainError }, { stopOnSignals }, { formatBanner }, { startSandbox }] = await Promise.all([
  import("@encaisse/shared"),
  import("../../functions/src/runtime/shutdown"),
  import("./banner"),
  import("./sandbox"),
]);
const { demoPairingCode } = await import("./pairing");
try {
  const sandbox = await startSandbox({ port, template });
  const readyInMs = Date.now() - startedAt;
  process.stdout.write(
    formatBanner({
      readyInMs,
      templateBuilt: sandbox.templateBuilt,
      backendUrl: sandbox.url,
      emulators: {
        hubspot: sandbox.emulators.hubspot.url,
        pennylane: sandbox.emulators.pennylane.url,
        sageActiveApi: sandbox.emulators.sageActive.apiUrl,
        sageActiveAuth: sandbox.emulators.sageActive.authUrl,
      },
      storeDir: sandbox.storeDir,
      envFile: sandbox.envFile,
      portalId: sandbox.portalId,
      book: {
        companies: sandbox.book.companies.length,
        documents: sandbox.book.invoices.length,
        today: sandbox.book.today,
      },
      examples: sandbox.examples,
      demoCompany: sandbox.demoCompany,
      curl: sandbox.cardCurl(),
      cardPath: sandbox.cardPath(),
      pairingCode: await demoPairingCode(sandbox).catch(() => undefined),
    }),
  );
  if (process.env.ENCAISSE_STARTUP_DETAIL === "1") {
    const steps = sandbox.startup.steps.map(({ step, ms }) => `${step} ${ms} ms`).join(", ");
    process.stdout.write(`startup: ${steps}\n`);
  }
  stopOnSignals(
    async () => {
      process.stdout.write("Stopping the sandbox…\n");
      await sandbox.close();
    },
    { onError: (error) => process.stderr.write(`error while stopping: ${String(error)}\n`) },
  );
} catch (error) {
  if (error instanceof DomainError) fail(error.code, error.message);
  if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") {
    fail(
      "PORT_IN_USE",
      `Port ${port} is taken (another sandbox or server?); stop it or run PORT=${port + 1} npm start.`,
    );
  }
  throw error;
}
