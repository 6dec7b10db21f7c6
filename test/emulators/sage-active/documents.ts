/**
 * The GraphQL documents the emulator tests send, in one place so the contract test can
 * check every one of them against the SDL. They follow the reference's own examples.
 */

export const USER_PROFILE = /* GraphQL */ `
  query UserProfile {
    userProfile {
      id
      firstName
      lastName
      fullName
      authenticationEmail
      applicationLanguageCode
    }
  }
`;

export const ORGANIZATIONS = /* GraphQL */ `
  query Organizations($first: Int, $after: String) {
    organizations(first: $first, after: $after) {
      nodes {
        id
        socialName
        legislationCode
        status
        onboardingCompleted
        onboardingDateCompleted
        documentId
      }
      pageInfo {
        hasNextPage
        endCursor
      }
      totalCount
    }
  }
`;

export const ORGANIZATION_DETAIL = /* GraphQL */ `
  query OrganizationDetail {
    organizationDetail(first: 1) {
      nodes {
        id
        socialName
        documentId
        vatNumber
        vatCriterion
        nafApeCode
        currencyId
        currency {
          code
          precision
        }
        addresses {
          firstLine
          city
          zipCode
          countryIsoCodeAlpha2
        }
      }
    }
  }
`;

export const SETUP = /* GraphQL */ `
  query Setup($organizationId: ID!) {
    organizationSalesSetupByOrgId(id: $organizationId) {
      defaultSalesPostingInvoiceJournalTypeId
    }
    journalTypes(where: { type: { eq: SALES_INVOICE }, deactivated: { eq: false } }) {
      nodes {
        id
        code
        name
        type
      }
    }
    paymentMethods {
      nodes {
        id
        name
        type
      }
    }
    products(where: { category: { eq: SERVICE } }, order: { code: ASC }) {
      nodes {
        id
        code
        name
        taxGroup {
          taxGroupCode
          vatTaxation
        }
      }
    }
  }
`;

export const CUSTOMERS = /* GraphQL */ `
  query Customers(
    $first: Int
    $after: String
    $last: Int
    $before: String
    $where: CustomerFilterInput
    $order: [CustomerSortInput!]
  ) {
    customers(
      first: $first
      after: $after
      last: $last
      before: $before
      where: $where
      order: $order
    ) {
      nodes {
        id
        code
        socialName
        customerType
        documentId
        vatNumber
        countryAcronym
        viesCode
        documentType {
          code
        }
        addresses {
          firstLine
          city
          zipCode
          countryIsoCodeAlpha2
          isMainAddress
        }
        contacts {
          name
          surname
          isDefault
          emails {
            emailAddress
            usage
            isDefault
          }
        }
        paymentTermLines {
          order
          type
          value
          condition
          day
        }
        creationDate
        modificationDate
      }
      edges {
        cursor
        node {
          id
        }
      }
      pageInfo {
        hasNextPage
        hasPreviousPage
        startCursor
        endCursor
      }
      totalCount
    }
  }
`;

export const CREATE_CUSTOMER = /* GraphQL */ `
  mutation CreateCustomer($values: CustomerCreateGLDtoInput!) {
    createCustomer(input: $values) {
      id
      code
      socialName
      documentId
      vatNumber
      customerType
    }
  }
`;

export const INVOICE_FIELDS = /* GraphQL */ `
  fragment InvoiceFields on SalesInvoice {
    id
    operationalNumber
    documentDate
    firstDueDate
    status
    type
    customerId
    customer {
      id
      code
      socialName
    }
    socialName
    externalReference
    totalGross
    totalDiscount
    totalNet
    totalVat
    totalLiquid
    hasCreditNote
    sourceSalesInvoiceId
    creationDate
    modificationDate
    lines {
      order
      productCode
      productName
      totalQuantity
      unitPrice
      firstDiscount
      vatPercentage
      totalNet
      totalVat
      totalLiquid
      availableForCreditNoteQuantity
    }
    openItems {
      id
      amount
      paidAmountAccumulated
      dueDate
      status
    }
  }
`;

export const SALES_INVOICES = /* GraphQL */ `
  query SalesInvoices(
    $first: Int
    $after: String
    $where: SalesInvoiceFilterInput
    $order: [SalesInvoiceSortInput!]
  ) {
    salesInvoices(first: $first, after: $after, where: $where, order: $order) {
      nodes {
        ...InvoiceFields
      }
      pageInfo {
        hasNextPage
        endCursor
      }
      totalCount
    }
  }
  ${INVOICE_FIELDS}
`;

export const CREATE_SALES_INVOICE = /* GraphQL */ `
  mutation CreateSalesInvoice($values: SalesInvoiceCreateGLDtoInput!) {
    createSalesInvoice(input: $values) {
      ...InvoiceFields
    }
  }
  ${INVOICE_FIELDS}
`;

export const CLOSE_SALES_INVOICE = /* GraphQL */ `
  mutation CloseSalesInvoice($input: CloseSalesInvoiceGLDtoInput!) {
    closeSalesInvoice(input: $input) {
      id
      operationalNumber
      status
      modificationDate
    }
  }
`;

export const POST_SALES_INVOICE = /* GraphQL */ `
  mutation PostSalesInvoice($input: PostSalesInvoiceGLDtoInput!) {
    postSalesInvoice(input: $input) {
      accountingEntryId
      accountingEntryNumber
      accountingEntries {
        accountingEntryId
        accountingEntryNumber
      }
    }
  }
`;

export const DELETE_SALES_INVOICE = /* GraphQL */ `
  mutation DeleteSalesInvoice($input: SalesInvoiceDeleteGLDtoInput!) {
    deleteSalesInvoice(input: $input)
  }
`;

export const GENERATE_CREDIT_NOTE = /* GraphQL */ `
  mutation GenerateCreditNote($input: GenerateCreditNoteGLDtoInput!) {
    generateCreditNote(input: $input) {
      id
    }
  }
`;

export const OPEN_ITEMS = /* GraphQL */ `
  query OpenItems(
    $where: SalesInvoiceOpenItemFilterInput
    $order: [SalesInvoiceOpenItemSortInput!]
  ) {
    salesInvoiceOpenItems(where: $where, order: $order) {
      nodes {
        id
        amount
        paidAmountAccumulated
        dueDate
        status
        creationDate
        modificationDate
        salesInvoiceId
        salesInvoice {
          operationalNumber
          status
          firstDueDate
          totalLiquid
        }
      }
      totalCount
    }
  }
`;

export const SETTLE_OPEN_ITEMS = /* GraphQL */ `
  mutation Settle($input: SalesOpenItemSettlementGLDtoInput!) {
    salesOpenItemSettlement(input: $input) {
      accountingEntryId
      accountingEntryNumber
    }
  }
`;

/** The invoice's posting entry, its customer line and that line's matching (lettrage). */
export const INVOICE_POSTING = /* GraphQL */ `
  query InvoicePosting($invoiceId: UUID!) {
    accountingEntries(where: { sourceEntityId: { eq: $invoiceId } }) {
      nodes {
        number
        date
        journalType {
          type
        }
        accountingEntryLines {
          debitAmount
          creditAmount
          accountingEntryThirdParty {
            thirdPartyId
          }
          accountingEntryPayment {
            matchId
            matchingLetter
            matching
          }
        }
      }
    }
  }
`;

/** Everything matched with the invoice's customer line: its payments. */
export const MATCHED_LINES = /* GraphQL */ `
  query MatchedLines($matchId: UUID!) {
    accountingEntryPayments(where: { matchId: { eq: $matchId } }, order: { creationDate: ASC }) {
      nodes {
        matchingLetter
        matching
        accountingEntryLine {
          debitAmount
          creditAmount
          documentNumber
          accountingEntry {
            date
            documentNumber
            journalType {
              type
            }
          }
        }
      }
    }
  }
`;

export const CHANGED_SINCE = /* GraphQL */ `
  query ChangedSince($since: DateTime!) {
    salesInvoices(
      first: 500
      where: { or: [{ modificationDate: { gte: $since } }, { creationDate: { gte: $since } }] }
      order: [{ modificationDate: ASC }]
    ) {
      nodes {
        id
        status
        modificationDate
      }
      totalCount
    }
    salesInvoiceOpenItems(
      first: 500
      where: { or: [{ modificationDate: { gte: $since } }, { creationDate: { gte: $since } }] }
    ) {
      nodes {
        id
        salesInvoiceId
        status
        paidAmountAccumulated
        modificationDate
      }
      totalCount
    }
  }
`;

export const PDF_PREVIEW = /* GraphQL */ `
  query PdfPreview($input: DocumentPdfPreviewGLDtoInput!) {
    documentPdfPreview(input: $input) {
      type
      id
      pdfPreview
    }
  }
`;

export const LOCALIZED_ERROR = /* GraphQL */ `
  query LocalizedError($errorCode: String!, $language: String!) {
    localizedErrorMessage(errorCode: $errorCode, language: $language) {
      message
    }
  }
`;

/** Every valid document above, by name, for the contract test. */
export const SAGE_TEST_DOCUMENTS = {
  USER_PROFILE,
  ORGANIZATIONS,
  ORGANIZATION_DETAIL,
  SETUP,
  CUSTOMERS,
  CREATE_CUSTOMER,
  SALES_INVOICES,
  CREATE_SALES_INVOICE,
  CLOSE_SALES_INVOICE,
  POST_SALES_INVOICE,
  DELETE_SALES_INVOICE,
  GENERATE_CREDIT_NOTE,
  OPEN_ITEMS,
  SETTLE_OPEN_ITEMS,
  INVOICE_POSTING,
  MATCHED_LINES,
  CHANGED_SINCE,
  PDF_PREVIEW,
  LOCALIZED_ERROR,
} as const;
