import { describe, expect, it } from "vitest";
import { sirenIn } from "../src/detect/siren";

describe("reading a SIREN printed on a page", () => {
  it.each([
    ["SIREN : 552 100 554", "552100554"],
    ["SIREN 552100554", "552100554"],
    ["Siren n° 552.100.554", "552100554"],
    ["SIRET : 732 829 320 00074", "732829320"],
    ["SIRET\u00a0732\u202f829\u202f320\u00a000074", "732829320"],
  ])("%s -> %s", (text, siren) => {
    expect(sirenIn(text)).toBe(siren);
  });

  it.each([
    ["a SIREN with a wrong key", "SIREN : 552 100 555"],
    ["digits without a label", "Téléphone : 552 100 554"],
    ["a SIRET with a wrong key", "SIRET : 732 829 320 00075"],
    ["too few digits", "SIREN : 5521"],
  ])("ignores %s", (_case, text) => {
    expect(sirenIn(text)).toBeNull();
  });
});
