import { describe, expect, it } from "vitest";
import { explainMatch, FREE_MAIL_DOMAINS, matchCustomer, MATCH_CONFIDENCE } from "../src/matching";
import type { CustomerMatch, MatchReason, MatchTarget } from "../src/matching";
import { customerSchema } from "../src/model";
import type { Customer } from "../src/model";

function customer(providerId: string, fields: Partial<Customer> = {}): Customer {
  return customerSchema.parse({
    provider: "pennylane",
    providerId,
    kind: "company",
    name: `Customer ${providerId}`,
    siren: null,
    siret: null,
    vatNumber: null,
    emails: [],
    billingAddress: null,
    paymentTerms: null,
    externalReference: null,
    ...fields,
  });
}

const ids = (matches: readonly CustomerMatch[]): string[] =>
  matches.map((match) => match.customer.providerId);

const summary = (matches: readonly CustomerMatch[]) =>
  matches.map(({ customer: { providerId }, reason, confidence, autoLink }) => ({
    providerId,
    reason,
    confidence,
    autoLink,
  }));

describe("matchCustomer", () => {
  it("ranks SIRET over SIREN over VAT number over external reference over email domain", () => {
    const target: MatchTarget = {
      siret: "732 829 320 00074",
      vatNumber: "FR44732829320",
      externalReference: "hubspot-company-42",
      emails: ["jeanne.martin@acme.fr"],
    };
    const candidates = [
      customer("unrelated", { siren: "552100554", emails: ["compta@renault.fr"] }),
      customer("same-domain", { emails: ["compta@acme.fr"] }),
      customer("same-reference", { externalReference: "hubspot-company-42" }),
      customer("same-vat", { vatNumber: "FR 44 732 829 320" }),
      customer("same-siren", { siren: "732829320", siret: "73282932000082" }),
      customer("same-siret", { siret: "73282932000074" }),
    ];
    expect(summary(matchCustomer(target, candidates))).toEqual([
      { providerId: "same-siret", reason: "siret", confidence: 100, autoLink: true },
      { providerId: "same-siren", reason: "siren", confidence: 95, autoLink: false },
      { providerId: "same-vat", reason: "vat_number", confidence: 90, autoLink: false },
      {
        providerId: "same-reference",
        reason: "external_reference",
        confidence: 85,
        autoLink: false,
      },
      { providerId: "same-domain", reason: "email_domain", confidence: 50, autoLink: false },
    ]);
  });

  it.each<[string, MatchTarget, Partial<Customer>, MatchReason, boolean]>([
    ["same SIRET", { siret: "73282932000074" }, { siret: "73282932000074" }, "siret", true],
    [
      "target SIREN, candidate SIREN",
      { siren: "732 829 320" },
      { siren: "732829320" },
      "siren",
      true,
    ],
    [
      "target SIREN, candidate SIRET",
      { siren: "732829320" },
      { siret: "73282932000082" },
      "siren",
      true,
    ],
    [
      "target SIRET, candidate SIREN",
      { siret: "73282932000074" },
      { siren: "732829320" },
      "siren",
      true,
    ],
    [
      "establishments of one company",
      { siret: "73282932000074" },
      { siret: "73282932000082" },
      "siren",
      true,
    ],
    [
      "target French VAT, candidate SIREN",
      { vatNumber: "FR44732829320" },
      { siren: "732829320" },
      "siren",
      true,
    ],
    [
      "same VAT number",
      { vatNumber: "fr 44 732 829 320" },
      { vatNumber: "FR44732829320" },
      "vat_number",
      true,
    ],
    [
      "same foreign VAT number",
      { vatNumber: "DE123456789" },
      { vatNumber: "DE 123 456 789" },
      "vat_number",
      true,
    ],
    [
      "same external reference",
      { externalReference: " deal-7 " },
      { externalReference: "deal-7" },
      "external_reference",
      true,
    ],
    [
      "same email domain",
      { emails: ["a@acme.fr"] },
      { emails: ["b@ACME.fr"] },
      "email_domain",
      false,
    ],
    [
      "website against email",
      { domain: "https://www.Acme.fr/contact" },
      { emails: ["Compta <compta@acme.fr>"] },
      "email_domain",
      false,
    ],
  ])("%s matches with its confidence", (_, target, fields, reason, autoLink) => {
    const [match, ...others] = matchCustomer(target, [customer("c1", fields)]);
    expect(others).toEqual([]);
    expect(match).toMatchObject({ reason, confidence: MATCH_CONFIDENCE[reason], autoLink });
  });

  it("lists a candidate once, under its strongest reason", () => {
    const candidate = customer("c1", {
      siret: "73282932000074",
      vatNumber: "FR44732829320",
      externalReference: "ref-1",
      emails: ["compta@acme.fr", "direction@acme.fr"],
    });
    const matches = matchCustomer(
      {
        siret: "73282932000074",
        vatNumber: "FR44732829320",
        externalReference: "ref-1",
        domain: "acme.fr",
      },
      [candidate],
    );
    expect(summary(matches)).toEqual([
      { providerId: "c1", reason: "siret", confidence: 100, autoLink: true },
    ]);
  });

  it("counts a customer the provider listed twice only once, so the match stays unambiguous", () => {
    const twice = customer("c1", { siren: "732829320" });
    const matches = matchCustomer({ siren: "732829320" }, [twice, twice]);
    expect(summary(matches)).toEqual([
      { providerId: "c1", reason: "siren", confidence: 95, autoLink: true },
    ]);
  });

  it("never auto-links when two candidates share the top confidence", () => {
    const matches = matchCustomer({ siren: "732829320" }, [
      customer("head-office", { siret: "73282932000074" }),
      customer("branch", { siret: "73282932000082" }),
      customer("by-domain", { emails: ["x@acme.fr"] }),
    ]);
    expect(summary(matches)).toEqual([
      { providerId: "head-office", reason: "siren", confidence: 95, autoLink: false },
      { providerId: "branch", reason: "siren", confidence: 95, autoLink: false },
    ]);
  });

  it("auto-links the single strongest candidate even when weaker ones exist", () => {
    const matches = matchCustomer({ siren: "732829320", emails: ["x@acme.fr"] }, [
      customer("by-domain", { emails: ["y@acme.fr"] }),
      customer("by-siren", { siren: "732829320" }),
    ]);
    expect(matches.map((match) => [match.customer.providerId, match.autoLink])).toEqual([
      ["by-siren", true],
      ["by-domain", false],
    ]);
  });

  it("never auto-links on an email domain alone, even a single one", () => {
    const [match] = matchCustomer({ emails: ["x@acme.fr"] }, [
      customer("c1", { emails: ["y@acme.fr"] }),
    ]);
    expect(match?.confidence).toBeLessThan(85);
    expect(match?.autoLink).toBe(false);
  });

  it.each(FREE_MAIL_DOMAINS)("ignores the free-mail domain %s", (domain) => {
    const target: MatchTarget = { emails: [`jeanne@${domain}`], domain: `www.${domain}` };
    expect(
      matchCustomer(target, [customer("c1", { emails: [`paul@${domain.toUpperCase()}`] })]),
    ).toEqual([]);
  });

  it("still matches a company domain among free-mail ones", () => {
    const matches = matchCustomer({ emails: ["jeanne@gmail.com", "jeanne@acme.fr"] }, [
      customer("c1", { emails: ["paul@gmail.com"] }),
      customer("c2", { emails: ["paul@hotmail.fr", "compta@acme.fr"] }),
    ]);
    expect(ids(matches)).toEqual(["c2"]);
    expect(matches[0]?.reason).toBe("email_domain");
  });

  it("never matches on a bare name", () => {
    const candidates = [customer("c1", { name: "ACME" }), customer("c2", { name: "Acme SAS" })];
    expect(matchCustomer({ name: "ACME" }, candidates)).toEqual([]);
  });

  it("returns nothing for an empty target", () => {
    expect(matchCustomer({}, [customer("c1", { siren: "732829320" })])).toEqual([]);
  });

  it.each<[string, MatchTarget, Partial<Customer>]>([
    ["SIREN with a bad check digit", { siren: "732829321" }, { siren: "732829321" }],
    ["SIRET with a bad check digit", { siret: "73282932000079" }, { siret: "73282932000079" }],
    [
      "VAT number with a wrong key",
      { vatNumber: "FR45732829320" },
      { vatNumber: "FR45732829320", siren: "732829320" },
    ],
    ["malformed VAT number", { vatNumber: "DE1234" }, { vatNumber: "DE1234" }],
    ["blank external reference", { externalReference: "  " }, { externalReference: "" }],
    ["blank domain", { domain: " ", emails: ["not-an-email"] }, { emails: ["not-an-email", "x@"] }],
  ])("ignores a target's %s, even when the candidate has the same value", (_, target, fields) => {
    expect(matchCustomer(target, [customer("c1", fields)])).toEqual([]);
  });

  it("matches on the valid identifiers of a target whose other identifier is invalid", () => {
    const matches = matchCustomer({ siren: "732829321", siret: "73282932000074" }, [
      customer("c1", { siren: "732829321" }),
      customer("c2", { siren: "732829320" }),
    ]);
    expect(summary(matches)).toEqual([
      { providerId: "c2", reason: "siren", confidence: 95, autoLink: true },
    ]);
  });

  it("puts the closer name first among equally confident candidates", () => {
    const candidates = [
      customer("far", { name: "ACME Industries Europe", siren: "732829320" }),
      customer("close", { name: "Acmé S.A.S.", siren: "732829320" }),
    ];
    expect(ids(matchCustomer({ siren: "732829320", name: "ACME SAS" }, candidates))).toEqual([
      "close",
      "far",
    ]);
  });

  it("keeps the given order among equally confident candidates when no name is known", () => {
    const candidates = [
      customer("first", { name: "ACME Industries Europe", siren: "732829320" }),
      customer("second", { name: "ACME", siren: "732829320" }),
    ];
    expect(ids(matchCustomer({ siren: "732829320" }, candidates))).toEqual(["first", "second"]);
    expect(ids(matchCustomer({ siren: "732829320", name: "  " }, candidates))).toEqual([
      "first",
      "second",
    ]);
  });

  it("never lets a closer name outrank a stronger identifier", () => {
    const candidates = [
      customer("by-domain", { name: "ACME", emails: ["x@acme.fr"] }),
      customer("by-siret", { name: "Totally different", siret: "73282932000074" }),
    ];
    const target = { siret: "73282932000074", emails: ["y@acme.fr"], name: "ACME" };
    expect(ids(matchCustomer(target, candidates))).toEqual(["by-siret", "by-domain"]);
  });

  it("matches a La Poste post office by its SIRET", () => {
    const matches = matchCustomer({ siret: "356 000 000 12346" }, [
      customer("post-office", { siret: "35600000012346" }),
    ]);
    expect(matches[0]?.reason).toBe("siret");
  });
});

describe("explainMatch", () => {
  const target: MatchTarget = {
    siret: "73282932000074",
    vatNumber: "DE123456789",
    externalReference: "deal-7",
    emails: ["x@acme.fr"],
  };
  const matchBy = (fields: Partial<Customer>): CustomerMatch => {
    const [match] = matchCustomer(target, [customer("c1", fields)]);
    if (match === undefined) throw new Error("expected a match");
    return match;
  };

  it.each<[Partial<Customer>, string, string]>([
    [
      { siret: "73282932000074" },
      "Même SIRET (732 829 320 00074)",
      "Same SIRET (732 829 320 00074)",
    ],
    [{ siren: "732829320" }, "Même SIREN (732 829 320)", "Same SIREN (732 829 320)"],
    [
      { vatNumber: "DE 123 456 789" },
      "Même numéro de TVA (DE123456789)",
      "Same VAT number (DE123456789)",
    ],
    [
      { externalReference: "deal-7" },
      "Même référence externe (deal-7)",
      "Same external reference (deal-7)",
    ],
    [{ emails: ["y@acme.fr"] }, "Même domaine e-mail (acme.fr)", "Same email domain (acme.fr)"],
  ])("explains a match on %j", (fields, french, english) => {
    const match = matchBy(fields);
    expect(explainMatch(match, "fr")).toBe(french);
    expect(explainMatch(match, "en")).toBe(english);
  });
});
