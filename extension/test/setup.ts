import { cleanup } from "@testing-library/react";
import { fakeBrowser } from "@webext-core/fake-browser";
import { afterEach, beforeEach, vi } from "vitest";

// The in-memory browser stands in for `chrome`: real storage areas, runtime and tabs events.
// Its sidePanel throws "not mocked", so each test gets recording stubs.
globalThis.chrome = fakeBrowser as unknown as typeof chrome;

beforeEach(() => {
  fakeBrowser.reset();
  Object.assign(fakeBrowser.sidePanel, {
    setOptions: vi.fn(async () => undefined),
    setPanelBehavior: vi.fn(async () => undefined),
  });
});

afterEach(() => {
  cleanup();
});
