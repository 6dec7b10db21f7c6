import { describe, expect, it } from "vitest";
import * as documents from "../../../functions/src/providers/sage-active/queries";
import { validateSageQuery } from "../../contract/sage-active-sdl";

const entries = Object.entries(documents) as [string, string][];

describe("Sage Active query documents", () => {
  it("the client has a document for every operation it performs", () => {
    expect(entries.length).toBeGreaterThanOrEqual(25);
  });

  it.each(entries)("%s validates against the Sage Active SDL", (_name, document) => {
    expect(validateSageQuery(document)).toEqual([]);
  });

  it.each(entries)("%s is a named operation (Sage logs show the name)", (_name, document) => {
    expect(document).toMatch(/^\s*(query|mutation) Sage[A-Z]\w*/);
  });

  it("no document asks for more than 500 rows at once (HC0051)", () => {
    for (const [, document] of entries) {
      for (const match of document.matchAll(/first:\s*(\d+)/g)) {
        expect(Number(match[1])).toBeLessThanOrEqual(500);
      }
    }
  });

  it("a drifted field is caught by the same check", () => {
    const drifted = documents.USER_PROFILE.replace("authenticationEmail", "userId");
    expect(validateSageQuery(drifted)).not.toEqual([]);
  });
});
