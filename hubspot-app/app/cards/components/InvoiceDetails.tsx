/**
 * One invoice opened from the table: its payments, where the dunning plan stands, the
 * penalties accrued so far, its page in the accounting software and a PDF link fetched on
 * demand (those links expire). A rep may hold its dunning plan here, or let it resume.
 */
import {
  Alert,
  DescriptionList,
  DescriptionListItem,
  Flex,
  Heading,
  Link,
  LoadingButton,
  Table,
  TableBody,
  TableCell,
  TableRow,
  Text,
  Tile,
} from "@hubspot/ui-extensions";
import type { CardInvoice } from "@encaisse/shared/contracts";
import { useDunningPause } from "../hooks/useDunningPause.ts";
import { usePdfLink } from "../hooks/usePdfLink.ts";
import { offersDunningPause } from "../utils/dunning-pause.ts";
import { dunningLines } from "../utils/dunning-text.ts";
import { PROVIDER_NAMES, type Translator, amountText } from "../utils/i18n.ts";
import { DunningPauseSection } from "./DunningPauseSection.tsx";

export function InvoiceDetails({
  t,
  invoice,
  amountsVisible,
  onDunningChanged,
}: {
  t: Translator;
  invoice: CardInvoice;
  amountsVisible: boolean;
  /** The dunning plan was paused or resumed: the card reloads its view. */
  onDunningChanged: () => void;
}) {
  const amount = (cents: number) => amountText(t, amountsVisible, cents, invoice.currency);
  const pause = useDunningPause(invoice.id, invoice.dunning, onDunningChanged);
  const dunning = dunningLines(t, pause.dunning);
  return (
    <Tile testId="invoice-details">
      <Flex direction="column" gap="sm">
        <Heading>{t.m.invoiceTitle(invoice.number ?? t.m.draftNumber)}</Heading>
        <Text format={{ fontWeight: "demibold" }}>{t.m.payments}</Text>
        {invoice.payments.length === 0 ? (
          <Text testId="no-payments">{t.m.noPayments}</Text>
        ) : (
          <Table testId="payments" density="condensed">
            <TableBody>
              {invoice.payments.map((payment) => (
                <TableRow key={payment.id}>
                  <TableCell>{t.f.date(payment.date)}</TableCell>
                  <TableCell align="right">{amount(payment.amountCents)}</TableCell>
                  <TableCell>{t.m.paymentMethods[payment.method]}</TableCell>
                  <TableCell>{payment.label ?? ""}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
        {dunning.length > 0 ? (
          <Flex direction="column" gap="flush" testId="dunning">
            <Text format={{ fontWeight: "demibold" }}>{t.m.columns.dunning}</Text>
            {dunning.map((line) => (
              <Text key={line}>{line}</Text>
            ))}
          </Flex>
        ) : null}
        <DunningPauseSection t={t} pause={pause} canPause={offersDunningPause(invoice)} />
        {invoice.penalties ? (
          <Flex direction="column" gap="xs" testId="penalties">
            <Text format={{ fontWeight: "demibold" }}>{t.m.penalties}</Text>
            <DescriptionList direction="row">
              <DescriptionListItem label={t.m.interest}>
                {amount(invoice.penalties.interestCents)}
              </DescriptionListItem>
              <DescriptionListItem label={t.m.indemnity}>
                {amount(invoice.penalties.indemnityCents)}
              </DescriptionListItem>
              <DescriptionListItem label={t.m.penaltiesTotal}>
                {amount(invoice.penalties.totalCents)}
              </DescriptionListItem>
            </DescriptionList>
            {invoice.penalties.provisional ? (
              <Text variant="microcopy">{t.m.provisionalRate}</Text>
            ) : null}
          </Flex>
        ) : null}
        <Flex direction="row" gap="md" align="center">
          <PdfLink t={t} invoiceId={invoice.id} />
          {invoice.webUrl ? (
            <Link testId="provider-link" href={{ url: invoice.webUrl, external: true }}>
              {t.m.openInProvider(PROVIDER_NAMES[invoice.provider])}
            </Link>
          ) : null}
        </Flex>
      </Flex>
    </Tile>
  );
}

function PdfLink({ t, invoiceId }: { t: Translator; invoiceId: string }) {
  const { state, fetchLink } = usePdfLink(invoiceId);
  if (state.kind === "ready") {
    return (
      <Flex direction="column" gap="flush">
        <Link testId="pdf-link" href={{ url: state.url, external: true }}>
          {t.m.openPdf}
        </Link>
        <Text variant="microcopy">{t.m.pdfValidUntil(t.f.time(state.expiresAt))}</Text>
      </Flex>
    );
  }
  return (
    <Flex direction="column" gap="xs">
      <LoadingButton
        testId="get-pdf"
        size="sm"
        variant="secondary"
        loading={state.kind === "loading"}
        disabled={state.kind === "loading"}
        onClick={fetchLink}
      >
        {t.m.getPdf}
      </LoadingButton>
      {state.kind === "failed" ? (
        <Alert testId="pdf-failed" variant="danger" title={t.m.pdfFailedTitle}>
          {t.errorText(state.error)} ({state.error.code})
        </Alert>
      ) : null}
    </Flex>
  );
}
