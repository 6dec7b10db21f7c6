/**
 * The company is not linked to a customer of the accounting software yet: the candidates
 * the backend found (by SIRET, SIREN, VAT number, reference or domain, never by name alone),
 * each with why it matched, and a button to confirm the right one.
 */
import {
  Alert,
  Button,
  EmptyState,
  Flex,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  Text,
} from "@hubspot/ui-extensions";
import type { CardInvoicesResponse } from "@encaisse/shared/contracts";
import { useCustomerLink } from "../hooks/useCustomerLink.ts";
import { PROVIDER_NAMES, type Translator } from "../utils/i18n.ts";

type NotMatched = Extract<CardInvoicesResponse, { state: "not_matched" }>;

export function CustomerMatch({
  t,
  view,
  onLinked,
}: {
  t: Translator;
  view: NotMatched;
  onLinked: () => void;
}) {
  const provider = PROVIDER_NAMES[view.provider];
  const { state, link } = useCustomerLink(view.company.id, onLinked);
  const title = t.m.notMatchedTitle(view.company.name ?? view.company.domain ?? "", provider);
  if (view.candidates.length === 0) {
    return (
      <EmptyState testId="not-matched" title={title} imageName="companies">
        <Text>{t.m.noCandidates(provider)}</Text>
      </EmptyState>
    );
  }
  return (
    <Flex direction="column" gap="sm" testId="not-matched">
      <Alert variant="info" title={title}>
        {t.m.notMatchedBody}
      </Alert>
      <Table testId="candidates">
        <TableHead>
          <TableRow>
            <TableHeader>{t.m.candidateColumns.customer}</TableHeader>
            <TableHeader>{t.m.candidateColumns.siren}</TableHeader>
            <TableHeader>{t.m.candidateColumns.vatNumber}</TableHeader>
            <TableHeader>{t.m.candidateColumns.why}</TableHeader>
            <TableHeader> </TableHeader>
          </TableRow>
        </TableHead>
        <TableBody>
          {view.candidates.map((candidate) => (
            <TableRow key={candidate.providerCustomerId}>
              <TableCell>{candidate.name}</TableCell>
              <TableCell>{candidate.siren ?? ""}</TableCell>
              <TableCell>{candidate.vatNumber ?? ""}</TableCell>
              <TableCell>
                <Text>{candidate.explanation}</Text>
                <Text variant="microcopy">
                  {t.m.confidence(t.f.basisPoints(candidate.confidence * 100))}
                </Text>
              </TableCell>
              <TableCell>
                <Button
                  testId={`link-${candidate.providerCustomerId}`}
                  size="sm"
                  disabled={state.kind === "linking"}
                  onClick={() => link(candidate.providerCustomerId)}
                >
                  {t.m.linkCustomer}
                </Button>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {state.kind === "failed" ? (
        <Alert testId="link-failed" variant="danger" title={t.m.linkFailedTitle}>
          {t.errorText(state.error)} ({state.error.code})
        </Alert>
      ) : null}
    </Flex>
  );
}
