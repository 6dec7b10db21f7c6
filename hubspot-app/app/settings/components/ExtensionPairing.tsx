/**
 * The settings page's "browser extension" section: a one-time pairing code for the current
 * user (shown with its expiry), and the account's paired extensions, each revocable.
 */
import { Alert, Button, Flex, Heading, LoadingButton, Text, Tile } from "@hubspot/ui-extensions";
import { parisDateOf } from "@encaisse/shared";
import type { Translator } from "../../cards/utils/i18n.ts";
import { type PairedExtension, useExtensionPairing } from "../hooks/useExtensionPairing.ts";
import { type ExtensionMessages, extensionMessagesFor } from "../utils/extension-messages.ts";

export function ExtensionPairing({ t, locale }: { t: Translator; locale: string | undefined }) {
  const m = extensionMessagesFor(locale);
  const pairing = useExtensionPairing();
  const { paired, code, working, error } = pairing;
  return (
    <Flex direction="column" gap="sm" testId="extension-pairing">
      <Heading>{m.title}</Heading>
      <Text>{m.intro}</Text>
      <Flex direction="row" gap="sm" align="center">
        <LoadingButton
          testId="generate-pairing-code"
          variant={code === null ? "primary" : "secondary"}
          loading={working === "code"}
          disabled={working !== null}
          onClick={pairing.generateCode}
        >
          {code === null ? m.generate : m.generateAgain}
        </LoadingButton>
      </Flex>
      {code === null ? null : (
        <Tile testId="pairing-code-tile">
          <Flex direction="column" gap="xs">
            <Text variant="microcopy">{m.codeLabel}</Text>
            <Text testId="pairing-code" format={{ fontWeight: "bold" }}>
              {code.code}
            </Text>
            <Text testId="pairing-code-expiry" variant="microcopy">
              {m.codeHint(t.f.time(code.expiresAt))}
            </Text>
          </Flex>
        </Tile>
      )}
      {error === null ? null : (
        <Alert testId="extension-failed" variant="danger" title={m.failedTitle}>
          {t.errorText(error)} ({error.code})
        </Alert>
      )}
      <Flex direction="row" gap="sm" align="center" justify="between">
        <Text format={{ fontWeight: "demibold" }}>{m.pairedTitle}</Text>
        <Button testId="refresh-extensions" variant="transparent" onClick={pairing.refresh}>
          {m.refresh}
        </Button>
      </Flex>
      {paired.kind === "loading" ? null : paired.kind === "failed" ? (
        <Text testId="paired-unavailable" variant="microcopy">
          {t.errorText(paired.error)} ({paired.error.code})
        </Text>
      ) : paired.tokens.length === 0 ? (
        <Text testId="no-paired-extension">{m.nonePaired}</Text>
      ) : (
        paired.tokens.map((token) => (
          <PairedRow
            key={token.id}
            t={t}
            m={m}
            token={token}
            revoking={working === token.id}
            disabled={working !== null}
            onRevoke={() => pairing.revoke(token.id)}
          />
        ))
      )}
    </Flex>
  );
}

function PairedRow({
  t,
  m,
  token,
  revoking,
  disabled,
  onRevoke,
}: {
  t: Translator;
  m: ExtensionMessages;
  token: PairedExtension;
  revoking: boolean;
  disabled: boolean;
  onRevoke: () => void;
}) {
  const used =
    token.lastUsedAt === null
      ? m.neverUsed
      : m.lastUsed(t.f.ageSince(token.lastUsedAt, new Date()));
  return (
    <Flex direction="row" gap="sm" align="center" justify="between" testId={`paired-${token.id}`}>
      <Text testId={`paired-${token.id}-details`}>
        <Text inline={true} format={{ fontWeight: "demibold" }}>
          {token.userEmail ?? m.unknownUser}
        </Text>{" "}
        — {m.pairedOn(t.f.date(parisDateOf(new Date(token.createdAt))))}, {used}
      </Text>
      <LoadingButton
        testId={`revoke-${token.id}`}
        variant="destructive"
        size="sm"
        loading={revoking}
        disabled={disabled}
        onClick={onRevoke}
      >
        {m.revoke}
      </LoadingButton>
    </Flex>
  );
}
