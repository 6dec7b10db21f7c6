import { defineConfig } from "vitest/config";

// One config for the whole workspace: each package is a project, so `npm test`
// runs everything and coverage is reported once.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "shared",
          root: "./shared",
          include: ["test/**/*.test.ts"],
          environment: "node",
        },
      },
      {
        test: {
          name: "functions",
          root: "./functions",
          include: ["test/**/*.test.ts"],
          environment: "node",
        },
      },
      {
        test: {
          name: "hubspot-app",
          root: "./hubspot-app",
          include: ["test/**/*.test.{ts,tsx}"],
          environment: "node",
          // Most card tests run against the backend's own app over the emulators.
          testTimeout: 30_000,
        },
      },
      {
        // The browser extension: happy-dom for the panel and the page detection, the fake
        // browser (`@webext-core/fake-browser`) as `chrome`, msw for the backend.
        esbuild: { jsx: "automatic" },
        resolve: { alias: { "~": new URL("./extension/src", import.meta.url).pathname } },
        test: {
          name: "extension",
          root: "./extension",
          include: ["test/**/*.test.{ts,tsx}"],
          environment: "happy-dom",
          setupFiles: ["./test/setup.ts"],
        },
      },
      {
        test: {
          name: "test",
          root: "./test",
          include: ["**/*.test.ts"],
          exclude: ["**/node_modules/**"],
          environment: "node",
          testTimeout: 30_000,
        },
      },
    ],
    coverage: {
      provider: "v8",
      include: [
        "shared/src/**/*.ts",
        "functions/src/**/*.ts",
        "hubspot-app/app/**/*.{ts,tsx}",
        "hubspot-app/scripts/**/*.ts",
      ],
      exclude: ["**/*.test.ts", "**/index.ts"],
      reporter: ["text-summary", "text"],
      thresholds: {
        "shared/src/**/*.ts": { lines: 95 },
      },
    },
  },
});
