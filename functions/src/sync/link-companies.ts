/**
 * Linking a book's HubSpot companies to their accounting customers, so that a new tenant's
 * companies get their rollups without waiting for a rep to open each card.
 *
 * Strong identifiers only, with the card's rules: a company is matched on its SIREN (or its
 * SIRET's), its VAT number or our reference `hubspot-company-<id>`, never on a bare name;
 * `matchCustomer` (shared) ranks the customers sharing one, and only a strong, unambiguous
 * match is linked, through the card's own `linkAutomatically` (same lock, same refusal to
 * move a customer a rep or another company already holds, same audit entry, marked as the
 * sync's). A customer two companies would each claim stays unlinked too: the card offers it.
 *
 * HubSpot's companies are listed 100 per call (GET /crm/v3/objects/companies): 10 calls for
 * 1,000 companies. Searching by the customers' SIRENs instead would take more: the search's
 * IN filter holds 100 values and HubSpot keeps the SIREN as typed, so 1,000 SIRENs in their
 * two spellings are 20 searches (plus the VAT numbers), on a 5-per-second limit.
 *
 * A pass runs after the customers were listed, once per Paris day (HubSpot records change
 * too), and when changes bring a customer that no company holds yet.
 */
import {
  type CalendarDate,
  type CustomerMatch,
  matchCustomer,
  sirenOfSiret,
  validateSiren,
  validateSiret,
  validateVatNumber,
} from "@encaisse/shared";
import type { Logger } from "../backend";
import type { HubSpotCrm } from "../hubspot/crm";
import type { CrmCompany } from "../hubspot/mapping";
import { externalReferenceForCompany, linkAutomatically } from "../services/cards/match";
import {
  type StrongIdentifiers,
  anyUnlinkedIdentifiedCustomer,
  customersSharingIdentifiers,
} from "./read-model-queries";
import { type SyncRun, checkpoint } from "./run";
import { loadLinkState, saveLinkState, saveRollupState, withPending } from "./sync-state";

/** Two companies (or more) would each link this customer: it is left to a rep. */
const CLAIMED_TWICE = "claimed twice";
type Decision =
  { readonly companyId: string; readonly match: CustomerMatch } | typeof CLAIMED_TWICE;

function identifiersOf(companies: readonly CrmCompany[]): StrongIdentifiers {
  const sirens = new Set<string>();
  const vatNumbers = new Set<string>();
  for (const company of companies) {
    const siren = company.siren === null ? null : validateSiren(company.siren);
    if (siren?.ok) sirens.add(siren.value);
    const siret = company.siret === null ? null : validateSiret(company.siret);
    if (siret?.ok) sirens.add(sirenOfSiret(siret.value));
    const vat = company.vatNumber === null ? null : validateVatNumber(company.vatNumber);
    if (vat?.ok) {
      vatNumbers.add(vat.value.vatNumber);
      if (vat.value.siren !== null) sirens.add(vat.value.siren);
    }
  }
  return {
    sirens: [...sirens],
    vatNumbers: [...vatNumbers],
    externalReferences: companies.map((company) => externalReferenceForCompany(company.id)),
  };
}

/** Links what can be linked for certain; a pass only when something may have changed. */
export async function linkCompanies(
  run: SyncRun,
  crm: HubSpotCrm,
  today: CalendarDate,
): Promise<void> {
  const { backend, tenantId } = run;
  const name = run.provider.provider;
  const cursors = backend.repos.cursors;
  const state = await loadLinkState(cursors, tenantId, name);
  const everything = state.all || state.day !== today;
  if (!everything && state.customers.length === 0) return;
  const worthAPass = await anyUnlinkedIdentifiedCustomer(
    run.db,
    tenantId,
    name,
    everything ? null : state.customers,
  );
  if (worthAPass) await linkPass(run, crm);
  await saveLinkState(cursors, tenantId, name, {
    v: 1,
    all: false,
    customers: [],
    day: everything ? today : state.day,
  });
}

async function linkPass(run: SyncRun, crm: HubSpotCrm): Promise<void> {
  const { backend, tenantId } = run;
  const name = run.provider.provider;
  const links = await backend.repos.customerLinks.list(tenantId, name);
  const linkedCompanies = new Set(links.map((link) => link.companyId));
  const linkedCustomers = new Set(links.map((link) => link.providerCustomerId));

  // Decided over every page before anything is linked: a duplicate company may come last.
  const decisions = new Map<string, Decision>();
  let after: string | null = null;
  do {
    checkpoint(run);
    const page = await crm.listCompanyIdentifiers(after);
    run.counters.hubspotReadCalls += 1;
    run.counters.companiesScanned += page.companies.length;
    const unlinked = page.companies.filter((company) => !linkedCompanies.has(company.id));
    const candidates = await customersSharingIdentifiers(
      run.db,
      tenantId,
      name,
      identifiersOf(unlinked),
    );
    if (candidates.length > 0) {
      for (const company of unlinked) {
        const [best] = matchCustomer(
          {
            siren: company.siren,
            siret: company.siret,
            vatNumber: company.vatNumber,
            externalReference: externalReferenceForCompany(company.id),
            name: company.name,
          },
          candidates,
        );
        if (best?.autoLink !== true) continue;
        const customerId = best.customer.providerId;
        // Held by a company already: the card's rule keeps it there.
        if (linkedCustomers.has(customerId)) continue;
        decisions.set(
          customerId,
          decisions.has(customerId) ? CLAIMED_TWICE : { companyId: company.id, match: best },
        );
      }
    }
    after = page.after;
  } while (after !== null);

  const certain = [...decisions].filter(
    (entry): entry is [string, Exclude<Decision, typeof CLAIMED_TWICE>] =>
      entry[1] !== CLAIMED_TWICE,
  );
  if (certain.length === 0) return;
  // Their values are owed to HubSpot from the moment they are linked: say so first.
  run.rollups = withPending(run.rollups, { customers: certain.map(([id]) => id) });
  await saveRollupState(backend.repos.cursors, tenantId, name, run.rollups);

  // One summary line rather than one per company.
  const quiet: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };
  const deps = { repos: backend.repos, store: backend.store, logger: quiet };
  const byReason = new Map<string, number>();
  for (const [customerId, { companyId, match }] of certain) {
    checkpoint(run);
    const link = await linkAutomatically(deps, tenantId, companyId, match, "sync");
    if (link?.companyId !== companyId || link.providerCustomerId !== customerId) continue;
    run.counters.companiesLinked += 1;
    byReason.set(match.reason, (byReason.get(match.reason) ?? 0) + 1);
  }
  backend.logger.info("companies linked automatically", {
    tenantId,
    provider: name,
    linked: run.counters.companiesLinked,
    ...Object.fromEntries(byReason),
  });
}
