import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "**/node_modules/**",
      "**/.tsbuild/**",
      "**/coverage/**",
      "**/build/**",
      "**/.plasmo/**",
      "**/.data/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
      eqeqeq: ["error", "always"],
      "no-console": ["error", { allow: ["warn", "error"] }],
    },
  },
  {
    // The domain core is pure: no I/O, no clock, no environment.
    files: ["shared/src/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: ["node:*", "fs", "path", "http", "https", "crypto"] },
      ],
      "no-restricted-globals": ["error", "process", "fetch", "setTimeout", "setInterval"],
    },
  },
  {
    // Money is integer cents and exact decimals; float rounding must not creep in.
    files: ["shared/src/money.ts", "shared/src/totals.ts", "shared/src/penalties.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector:
            "CallExpression[callee.object.name='Math'][callee.property.name=/^(round|floor|ceil|trunc)$/]",
          message: "Money is exact: round with the bigint helpers in money.ts, not Math.",
        },
        {
          selector: "CallExpression[callee.name='parseFloat']",
          message: "Money is exact: parse with parseDecimal, never through a float.",
        },
      ],
    },
  },
  {
    // HubSpot cards and the settings page run in HubSpot's sandboxed worker: no Node, and
    // every backend call goes through the one typed fetcher (cards/utils/api.ts).
    files: ["hubspot-app/app/**/*.{ts,tsx}"],
    languageOptions: {
      globals: { ...globals.worker },
      parserOptions: { ecmaFeatures: { jsx: true } },
    },
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: ["node:*", "fs", "path", "http", "https", "crypto"] },
      ],
      "no-restricted-globals": ["error", "process", "require", "Buffer", "fetch"],
      "no-restricted-properties": [
        "error",
        {
          object: "hubspot",
          property: "fetch",
          message: "Call the backend through the typed fetcher in cards/utils/api.ts.",
        },
      ],
      // Figures come computed from the backend and formatted by shared helpers.
      "no-restricted-syntax": [
        "error",
        {
          selector: "CallExpression[callee.name='parseFloat']",
          message: "Money is exact: never parse an amount through a float.",
        },
        {
          selector: "CallExpression[callee.property.name='toFixed']",
          message: "Format amounts with the shared helpers (cards/utils/format.ts).",
        },
      ],
    },
  },
  {
    files: ["hubspot-app/app/cards/utils/api.ts"],
    rules: { "no-restricted-properties": "off" },
  },
  {
    // The browser extension: page, panel and worker code run in the browser.
    files: ["extension/src/**/*.{ts,tsx}", "extension/test/**/*.{ts,tsx}"],
    languageOptions: {
      globals: { ...globals.browser, chrome: "readonly" },
      parserOptions: { ecmaFeatures: { jsx: true } },
    },
  },
  {
    files: ["extension/scripts/**"],
    rules: { "no-console": "off" },
  },
  {
    files: ["scripts/**", "test/bench/**", "functions/src/cli/**", "functions/src/server.ts"],
    rules: { "no-console": "off" },
  },
);
