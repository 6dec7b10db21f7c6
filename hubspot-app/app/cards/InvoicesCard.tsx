/**
 * The Invoices tab on companies, contacts and deals; on a deal it also bills the deal.
 */
import { useMemo } from "react";
import { type CrmContext, Flex, hubspot } from "@hubspot/ui-extensions";
import { UnsupportedRecord } from "./components/CardStates.tsx";
import { CreateInvoiceSection } from "./components/CreateInvoiceSection.tsx";
import { ReceivablesView } from "./components/ReceivablesView.tsx";
import { translatorFor } from "./utils/i18n.ts";
import { connectedAppsUrl, crmRecordOf } from "./utils/record.ts";

hubspot.extend<"crm.record.tab">(({ context }) => <InvoicesCard context={context} />);

export function InvoicesCard({ context }: { context: CrmContext }) {
  const t = useMemo(() => translatorFor(context.user.locale), [context.user.locale]);
  const record = crmRecordOf(context.crm);
  if (record === null) return <UnsupportedRecord t={t} />;
  return (
    <Flex direction="column" gap="lg">
      {record.objectType === "deals" ? (
        <CreateInvoiceSection t={t} dealId={record.objectId} />
      ) : null}
      <ReceivablesView
        t={t}
        record={record}
        locale={context.user.locale}
        teamIds={context.user.teams.map((team) => team.id)}
        settingsUrl={connectedAppsUrl(context.portal.id)}
      />
    </Flex>
  );
}
