import { describe, expect, it } from "vitest";
import {
  CHANGED_SINCE,
  CREATE_CUSTOMER,
  CREATE_SALES_INVOICE,
  CUSTOMERS,
  GENERATE_CREDIT_NOTE,
  OPEN_ITEMS,
  POST_SALES_INVOICE,
  SAGE_TEST_DOCUMENTS,
  SETTLE_OPEN_ITEMS,
} from "../emulators/sage-active/documents";
import { assertValidSageQuery, validateSageQuery } from "./sage-active-sdl";

const ID = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";

describe("the Sage Active SDL accepts the documents the tests send", () => {
  it.each(Object.entries(SAGE_TEST_DOCUMENTS))("%s validates", (_name, document) => {
    expect(validateSageQuery(document)).toEqual([]);
  });

  it.each([
    [
      "a customer lookup by SIREN",
      CUSTOMERS,
      { first: 500, where: { documentId: { eq: "732829320" } }, order: [{ socialName: "ASC" }] },
    ],
    [
      "a customer creation",
      CREATE_CUSTOMER,
      {
        values: {
          socialName: "DUPONT SA",
          documentId: "732829320",
          vatNumber: "FR44732829320",
          customerType: "BUSINESS",
          addresses: [
            {
              firstLine: "72 rue Joffre",
              city: "PARIS",
              zipCode: "75001",
              countryIsoCodeAlpha2: "FR",
            },
          ],
          contacts: [
            {
              name: "Léa",
              surname: "Dupont",
              emails: [{ emailAddress: "compta@dupont.fr", usage: "INVOICES" }],
            },
          ],
          paymentTermLines: [
            { order: 9999, type: "REMAINING_AMOUNT", value: 0, condition: "END_OF_MONTH", day: 45 },
          ],
        },
      },
    ],
    [
      "an invoice creation",
      CREATE_SALES_INVOICE,
      {
        values: {
          customerId: ID,
          documentDate: "2026-03-02",
          externalReference: "HS-DEAL-42",
          lines: [
            {
              productId: ID,
              productName: "Conseil",
              totalQuantity: 2,
              unitPrice: 150.5,
              firstDiscount: 5,
            },
          ],
        },
      },
    ],
    [
      "a posting",
      POST_SALES_INVOICE,
      {
        input: {
          salesInvoiceId: ID,
          accountingEntryDescription: "Facture 0001",
          journalTypeId: ID,
        },
      },
    ],
    [
      "a partial credit note",
      GENERATE_CREDIT_NOTE,
      { input: { id: ID, lines: [{ productId: ID, quantity: 1 }] } },
    ],
    [
      "a settlement",
      SETTLE_OPEN_ITEMS,
      {
        input: {
          entryDate: "2026-03-10T00:00:00Z",
          paymentMethodId: ID,
          thirdPartyId: ID,
          salesOpenItemLinkagePaidAmounts: [{ openItemId: ID, paidAmount: 1231.64 }],
        },
      },
    ],
    [
      "open items of an invoice",
      OPEN_ITEMS,
      { where: { salesInvoice: { id: { eq: ID } } }, order: { dueDate: "ASC" } },
    ],
    ["a modification-date poll", CHANGED_SINCE, { since: "2026-03-02T09:00:00.000Z" }],
  ])("%s, with its variables, validates", (_name, document, variables) => {
    expect(validateSageQuery(document, variables)).toEqual([]);
  });
});

describe("the checker fails loudly on documents Sage would refuse", () => {
  it.each([
    [
      "a field the invoice does not have (there is no dueDate, only firstDueDate)",
      "query { salesInvoices { nodes { id dueDate } } }",
      'Cannot query field "dueDate" on type "SalesInvoice". (line 1, column 36)',
    ],
    [
      "the settlement mutation under the name one summary gives it",
      "mutation ($input: SalesOpenItemSettlementGLDtoInput!) { createSalesOpenItemSettlement(input: $input) { accountingEntryId } }",
      'Cannot query field "createSalesOpenItemSettlement" on type "Mutation".',
    ],
    [
      "closing with { id } instead of { salesInvoiceId }",
      `mutation { closeSalesInvoice(input: { id: "${ID}" }) { id } }`,
      'Field "CloseSalesInvoiceGLDtoInput.salesInvoiceId" of required type "UUID!" was not provided.',
    ],
    [
      "organizationDetail read as an object",
      "query { organizationDetail { socialName } }",
      'Cannot query field "socialName" on type "OrganizationDetailConnection".',
    ],
    [
      "a variable declared with the wrong type",
      "query ($id: String!) { salesInvoices(where: { id: { eq: $id } }) { nodes { id } } }",
      'Variable "$id" of type "String!" used in position expecting type "UUID".',
    ],
    [
      "a syntax error",
      "query { salesInvoices { nodes { id }",
      "Syntax Error: Expected Name, found <EOF>.",
    ],
  ])("%s", (_name, document, expected) => {
    const problems = validateSageQuery(document);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.some((problem) => problem.startsWith(expected))).toBe(true);
  });

  it.each([
    [
      "a Decimal sent as a string",
      { values: { customerId: ID, lines: [{ productId: ID, unitPrice: "150.50" }] } },
      "Decimal cannot parse",
    ],
    ["a malformed UUID", { values: { customerId: "42", lines: [] } }, "UUID cannot parse"],
    [
      "a missing required field",
      { values: { lines: [] } },
      'Field "customerId" of required type "UUID!" was not provided.',
    ],
    [
      "a DateTime without seconds",
      { values: { customerId: ID, documentDate: "2026-03-02T08:30Z", lines: [] } },
      "DateTime cannot parse",
    ],
  ])("variables: %s", (_name, variables, expected) => {
    const problems = validateSageQuery(CREATE_SALES_INVOICE, variables);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('Variable "$values" got invalid value');
    expect(problems[0]).toContain(expected);
  });

  it("variables the document does not declare are reported", () => {
    expect(validateSageQuery(OPEN_ITEMS, { invoiceId: ID })).toEqual([
      'Variable "$invoiceId" is not declared by operation "OpenItems".',
    ]);
  });

  it("a missing required variable is reported", () => {
    expect(validateSageQuery(CHANGED_SINCE, {})).toEqual([
      'Variable "$since" of required type "DateTime!" was not provided. (line 2, column 22)',
    ]);
  });

  it("assertValidSageQuery throws every problem with the document", () => {
    const document = "query { salesInvoices { nodes { id dueDate totalTaxes } } }";
    expect(() => assertValidSageQuery(document)).toThrow(
      /dueDate[\s\S]*totalTaxes[\s\S]*query \{ salesInvoices/,
    );
    expect(() => assertValidSageQuery(CUSTOMERS, { first: 10 })).not.toThrow();
  });
});
