/**
 * The Invoices tab: one request to the backend, and a designed screen for each answer it can
 * give (loading, failed with its code, not connected, no company, not matched, no invoices,
 * invoices with their freshness).
 */
import { useState } from "react";
import { Alert, EmptyState, Flex, Text } from "@hubspot/ui-extensions";
import type { CardInvoicesResponse } from "@encaisse/shared/contracts";
import { type CardInvoices, useCardInvoices } from "../hooks/useCardInvoices.ts";
import type { BackendError } from "../utils/api.ts";
import { PROVIDER_NAMES, type Translator } from "../utils/i18n.ts";
import type { CrmRecord } from "../utils/record.ts";
import { Loading, LoadFailed, NoCompany, NotConnected } from "./CardStates.tsx";
import { CustomerMatch } from "./CustomerMatch.tsx";
import { Freshness } from "./Freshness.tsx";
import { InvoiceDetails } from "./InvoiceDetails.tsx";
import { InvoiceTable } from "./InvoiceTable.tsx";
import { ReceivablesStatistics } from "./ReceivablesStatistics.tsx";

export const INVOICES_PAGE_SIZE = 10;

type CardView = Extract<CardInvoicesResponse, { state: "ok" }>;

export interface ReceivablesViewProps {
  readonly t: Translator;
  readonly record: CrmRecord;
  readonly locale: string | undefined;
  readonly teamIds: readonly number[];
  readonly settingsUrl: string;
}

export function ReceivablesView({ t, record, locale, teamIds, settingsUrl }: ReceivablesViewProps) {
  const cards = useCardInvoices(record, { pageSize: INVOICES_PAGE_SIZE, locale, teamIds });
  const { load } = cards;
  if (load.kind === "loading") return <Loading t={t} />;
  if (load.kind === "failed") return <LoadFailed t={t} error={load.error} onRetry={cards.reload} />;
  const { view } = load;
  switch (view.state) {
    case "not_connected":
      return <NotConnected t={t} settingsUrl={settingsUrl} />;
    case "no_company":
      return <NoCompany t={t} objectType={view.objectType} />;
    case "not_matched":
      return <CustomerMatch t={t} view={view} onLinked={cards.reload} />;
    case "ok":
      return (
        <InvoicesOverview
          t={t}
          view={view}
          cards={cards}
          updating={load.updating}
          updateError={load.updateError}
        />
      );
  }
}

function InvoicesOverview({
  t,
  view,
  cards,
  updating,
  updateError,
}: {
  t: Translator;
  view: CardView;
  cards: CardInvoices;
  updating: boolean;
  updateError: BackendError | null;
}) {
  const [selectedInvoiceId, setSelectedInvoiceId] = useState<string | null>(null);
  const selected = view.invoices.items.find((invoice) => invoice.id === selectedInvoiceId);
  return (
    <Flex direction="column" gap="md">
      <Freshness
        t={t}
        view={view}
        updating={updating}
        updateError={updateError}
        onRefresh={cards.refresh}
      />
      {view.amountsVisible ? null : (
        <Alert testId="amounts-hidden" variant="info" title={t.m.amountsHidden} />
      )}
      <ReceivablesStatistics t={t} view={view} />
      {view.invoices.total === 0 ? (
        <EmptyState testId="no-invoices" title={t.m.emptyTitle} imageName="store">
          <Text>{t.m.emptyBody(view.customer.name, PROVIDER_NAMES[view.provider])}</Text>
        </EmptyState>
      ) : (
        <InvoiceTable
          t={t}
          invoices={view.invoices.items}
          amountsVisible={view.amountsVisible}
          page={view.invoices.page}
          pageSize={view.invoices.pageSize}
          total={view.invoices.total}
          order={cards.order}
          disabled={updating}
          selectedInvoiceId={selected?.id ?? null}
          onPageChange={cards.goToPage}
          onSortChange={cards.sortBy}
          onSelect={setSelectedInvoiceId}
        />
      )}
      {selected ? (
        <InvoiceDetails
          key={selected.id}
          t={t}
          invoice={selected}
          amountsVisible={view.amountsVisible}
          onDunningChanged={cards.reload}
        />
      ) : null}
    </Flex>
  );
}
