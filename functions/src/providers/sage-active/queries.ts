/**
 * Every GraphQL document the Sage Active client sends, in one place so that the contract
 * tests validate each against schema.graphql.
 *
 * Filters and sorts are written inline with scalar variables: Sage does not document the
 * names of its filter and sort input types (reference §2.4), only the mutation inputs
 * (`…GLDtoInput`). Pages ask for at most 500 rows (§2.3). Operation names start with
 * `Sage` so they are easy to find in logs.
 */

// ---------------------------------------------------------------------------------------
// Selections

const PAGE_INFO = "pageInfo { hasNextPage endCursor }";

const CUSTOMER_FIELDS = `
  id code socialName customerType countryAcronym documentId vatNumber creationDate modificationDate
  addresses { firstLine secondLine city zipCode countryIsoCodeAlpha2 isMainAddress }
  contacts { isDefaultCustomer emails { emailAddress isDefault } }
  paymentTermLines { order type value condition day }`;

/** What lists carry: amounts and open items (paid, remaining, due dates), no lines. */
const INVOICE_SUMMARY_FIELDS = `
  id creationDate modificationDate customerId socialName operationalNumber status type
  documentDate firstDueDate countryAcronym vatNumber externalReference
  totalNet totalVat totalLiquid hasCreditNote
  openItems { id amount paidAmountAccumulated dueDate status }`;

const INVOICE_DETAIL_FIELDS = `${INVOICE_SUMMARY_FIELDS}
  lines {
    order productCode productName product { code taxGroupId }
    totalQuantity unitPrice firstDiscount vatPercentage totalNet totalVat totalLiquid
  }`;

const CHANGED_SINCE = `where: { or: [{ modificationDate: { gte: $since } }, { creationDate: { gte: $since } }] }
    order: [{ modificationDate: ASC }, { creationDate: ASC }, { id: ASC }]`;

// ---------------------------------------------------------------------------------------
// Who am I (no X-OrganizationId)

export const USER_PROFILE = `query SageUserProfile {
  userProfile { id fullName authenticationEmail }
}`;

export const ORGANIZATIONS = `query SageOrganizations($first: Int!, $after: String) {
  organizations(first: $first, after: $after) {
    nodes { id socialName legislationCode status onboardingCompleted }
    ${PAGE_INFO}
  }
}`;

// A connection, not an object (reference §1.4).
export const ORGANIZATION_DETAIL = `query SageOrganizationDetail {
  organizationDetail(first: 1) {
    nodes { id socialName documentId vatNumber currency { code } }
  }
}`;

// ---------------------------------------------------------------------------------------
// Customers

export const CUSTOMER_BY_ID = `query SageCustomerById($id: UUID!) {
  customers(first: 1, where: { id: { eq: $id } }) { nodes { ${CUSTOMER_FIELDS} } }
}`;

// startsWith: a SIREN finds the customer filed under it or under one of its SIRETs.
export const CUSTOMERS_BY_DOCUMENT_ID = `query SageCustomersByDocumentId($documentId: String!) {
  customers(first: 50, where: { documentId: { startsWith: $documentId } }, order: [{ creationDate: ASC }]) {
    nodes { ${CUSTOMER_FIELDS} }
  }
}`;

export const CUSTOMERS_BY_VAT_NUMBER = `query SageCustomersByVatNumber($vatNumber: String!) {
  customers(first: 50, where: { vatNumber: { eq: $vatNumber } }, order: [{ creationDate: ASC }]) {
    nodes { ${CUSTOMER_FIELDS} }
  }
}`;

export const CUSTOMERS_BY_CODE = `query SageCustomersByCode($code: String!) {
  customers(first: 50, where: { code: { eq: $code } }, order: [{ creationDate: ASC }]) {
    nodes { ${CUSTOMER_FIELDS} }
  }
}`;

export const CUSTOMERS = `query SageCustomers($first: Int!, $after: String) {
  customers(first: $first, after: $after, order: [{ creationDate: ASC }, { id: ASC }]) {
    nodes { ${CUSTOMER_FIELDS} }
    ${PAGE_INFO}
  }
}`;

export const CREATE_CUSTOMER = `mutation SageCreateCustomer($input: CustomerCreateGLDtoInput!) {
  createCustomer(input: $input) { id code }
}`;

// ---------------------------------------------------------------------------------------
// Sales invoices

export const SALES_INVOICE_BY_ID = `query SageSalesInvoiceById($id: UUID!) {
  salesInvoices(first: 1, where: { id: { eq: $id } }) { nodes { ${INVOICE_DETAIL_FIELDS} } }
}`;

export const SALES_INVOICES_BY_EXTERNAL_REFERENCE = `query SageSalesInvoicesByExternalReference($externalReference: String!) {
  salesInvoices(
    first: 10
    where: { externalReference: { eq: $externalReference }, type: { neq: CREDIT_NOTE } }
    order: [{ creationDate: ASC }]
  ) { nodes { ${INVOICE_DETAIL_FIELDS} } }
}`;

export const SALES_INVOICES_OF_CUSTOMER = `query SageSalesInvoicesOfCustomer($customerId: UUID!, $first: Int!, $after: String) {
  salesInvoices(
    first: $first
    after: $after
    where: { customerId: { eq: $customerId } }
    order: [{ documentDate: DESC }, { creationDate: DESC }, { id: DESC }]
  ) {
    nodes { ${INVOICE_SUMMARY_FIELDS} }
    ${PAGE_INFO}
  }
}`;

export const SALES_INVOICES = `query SageSalesInvoices($first: Int!, $after: String) {
  salesInvoices(first: $first, after: $after, order: [{ creationDate: ASC }, { id: ASC }]) {
    nodes { ${INVOICE_SUMMARY_FIELDS} }
    ${PAGE_INFO}
    totalCount
  }
}`;

export const CREATE_SALES_INVOICE = `mutation SageCreateSalesInvoice($input: SalesInvoiceCreateGLDtoInput!) {
  createSalesInvoice(input: $input) { id status operationalNumber }
}`;

// Pending -> Closed: assigns the next number of the series (reference §4.6).
export const CLOSE_SALES_INVOICE = `mutation SageCloseSalesInvoice($input: CloseSalesInvoiceGLDtoInput!) {
  closeSalesInvoice(input: $input) { id status operationalNumber }
}`;

// Closed -> Posted: books the accounting entry and opens the receivable (open items).
export const POST_SALES_INVOICE = `mutation SagePostSalesInvoice($input: PostSalesInvoiceGLDtoInput!) {
  postSalesInvoice(input: $input) { accountingEntryId accountingEntryNumber }
}`;

export const SALES_SETUP = `query SageSalesSetup($organizationId: ID!) {
  organizationSalesSetupByOrgId(id: $organizationId) { defaultSalesPostingInvoiceJournalTypeId }
}`;

export const SALES_JOURNALS = `query SageSalesJournals {
  journalTypes(first: 50, where: { type: { eq: SALES_INVOICE } }, order: [{ code: ASC }]) {
    nodes { id code deactivated }
  }
}`;

// pdfPreview is the PDF itself, base64 (reference §4.7).
export const SALES_INVOICE_PDF = `query SageSalesInvoicePdf($id: UUID!) {
  documentPdfPreview(input: { type: SALES_INVOICE, id: $id }) { id pdfPreview }
}`;

// ---------------------------------------------------------------------------------------
// Payments: a settlement books a bank entry whose customer line is matched ("lettered")
// with the customer line of the invoice's posting entry (reference §5.2).

export const POSTING_ENTRIES_OF_INVOICES = `query SagePostingEntriesOfInvoices($invoiceIds: [UUID!]!, $first: Int!, $after: String) {
  accountingEntries(
    first: $first
    after: $after
    where: { salesInvoice: { id: { in: $invoiceIds } } }
    order: [{ creationDate: ASC }]
  ) {
    nodes {
      id salesInvoice { id }
      accountingEntryLines { id accountingEntryPayment { matchId } }
    }
    ${PAGE_INFO}
  }
}`;

export const MATCHED_ENTRY_LINES = `query SageMatchedEntryLines($matchIds: [UUID!]!, $first: Int!, $after: String) {
  accountingEntryPayments(
    first: $first
    after: $after
    where: { matchId: { in: $matchIds } }
    order: [{ creationDate: ASC }]
  ) {
    nodes {
      id matchId
      accountingEntryLine {
        id description debitAmount creditAmount
        accountingEntry { id date number documentNumber description sourceType journalTypeId }
      }
    }
    ${PAGE_INFO}
  }
}`;

export const PAYMENT_METHODS = `query SagePaymentMethods {
  paymentMethods(first: 100) { nodes { id type journalTypeId } }
}`;

// ---------------------------------------------------------------------------------------
// Products and taxes: a sales line's VAT comes from its product's tax group (§4.4).

export const TAXES = `query SageTaxes($first: Int!, $after: String) {
  taxes(first: $first, after: $after, order: [{ name: ASC }]) {
    nodes { id percentage groupId taxType inactive }
    ${PAGE_INFO}
  }
}`;

export const PRODUCTS_BY_CODE = `query SageProductsByCode($code: String!) {
  products(first: 10, where: { code: { eq: $code } }) { nodes { id code taxGroupId } }
}`;

export const CREATE_PRODUCT = `mutation SageCreateProduct($input: ProductCreateGLDtoInput!) {
  createProduct(input: $input) { id code taxGroupId }
}`;

// ---------------------------------------------------------------------------------------
// Change polling (reference §7): no webhooks, no tombstones; modificationDate is null on
// rows never updated, hence the creationDate branch.

export const INVOICES_CHANGED_SINCE = `query SageSalesInvoicesChangedSince($since: DateTime!, $first: Int!, $after: String) {
  salesInvoices(first: $first, after: $after, ${CHANGED_SINCE}) {
    nodes { id creationDate modificationDate }
    ${PAGE_INFO}
  }
}`;

export const OPEN_ITEMS_CHANGED_SINCE = `query SageOpenItemsChangedSince($since: DateTime!, $first: Int!, $after: String) {
  salesInvoiceOpenItems(first: $first, after: $after, ${CHANGED_SINCE}) {
    nodes { id salesInvoiceId creationDate modificationDate }
    ${PAGE_INFO}
  }
}`;

export const CUSTOMERS_CHANGED_SINCE = `query SageCustomersChangedSince($since: DateTime!, $first: Int!, $after: String) {
  customers(first: $first, after: $after, ${CHANGED_SINCE}) {
    nodes { id creationDate modificationDate }
    ${PAGE_INFO}
  }
}`;
