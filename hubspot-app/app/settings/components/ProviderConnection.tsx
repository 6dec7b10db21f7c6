/**
 * One accounting provider on the settings page: its connection health, and how to connect
 * it (OAuth; for Pennylane also an API token) or disconnect it.
 */
import { useState } from "react";
import {
  Alert,
  Button,
  ButtonRow,
  Flex,
  Input,
  Link,
  LoadingButton,
  StatusTag,
  Text,
  Tile,
} from "@hubspot/ui-extensions";
import { parisDateOf } from "@encaisse/shared";
import type { connectionSchema } from "@encaisse/shared/contracts";
import type { z } from "zod";
import type { ProviderName } from "../../cards/utils/api.ts";
import { PROVIDER_NAMES, type Translator } from "../../cards/utils/i18n.ts";
import {
  type ProviderConnectionActions,
  useProviderConnection,
} from "../hooks/useProviderConnection.ts";
import type { SettingsMessages } from "../utils/messages.ts";

type Connection = z.output<typeof connectionSchema>;

const STATUS_VARIANTS = { connected: "success", disconnected: "default", error: "danger" } as const;

export function ProviderConnection({
  t,
  m,
  connection,
  onChanged,
  onCheck,
}: {
  t: Translator;
  m: SettingsMessages;
  connection: Connection;
  onChanged: (connection: Connection) => void;
  onCheck: () => Promise<void>;
}) {
  const { provider } = connection;
  const actions = useProviderConnection(provider, onChanged);
  const name = PROVIDER_NAMES[provider];
  const { action } = actions;
  return (
    <Tile testId={`connection-${connection.provider}`}>
      <Flex direction="column" gap="sm">
        <Flex direction="row" justify="between" align="center">
          <Text format={{ fontWeight: "bold" }}>{name}</Text>
          <StatusTag
            testId={`${provider}-connection-status`}
            variant={STATUS_VARIANTS[connection.status]}
          >
            {m.connectionStatuses[connection.status]}
          </StatusTag>
        </Flex>
        {connection.companyName ? <Text>{m.connectedCompany(connection.companyName)}</Text> : null}
        {connection.connectedAt ? (
          <Text variant="microcopy">
            {m.connectedOn(t.f.date(parisDateOf(new Date(connection.connectedAt))))}
          </Text>
        ) : null}
        {connection.status !== "disconnected" ? (
          <Text variant="microcopy" testId={`${provider}-last-sync`}>
            {connection.lastSyncAt
              ? m.lastSync(t.f.ageSince(connection.lastSyncAt, new Date()))
              : m.neverSynced}
          </Text>
        ) : null}
        {connection.lastError ? (
          <Alert
            testId={`${provider}-connection-error`}
            variant="danger"
            title={t.errorText(connection.lastError)}
          >
            {t.m.errorCode(connection.lastError.code)}
          </Alert>
        ) : null}
        {action.kind === "confirmingDisconnect" ? (
          <DisconnectConfirmation provider={provider} m={m} name={name} actions={actions} />
        ) : (
          <Flex direction="column" gap="sm">
            {connection.status !== "connected" ? (
              <Connect m={m} connection={connection} actions={actions} onCheck={onCheck} />
            ) : null}
            {connection.status !== "disconnected" ? (
              <Button
                testId={`${provider}-disconnect`}
                variant="destructive"
                disabled={action.kind === "working"}
                onClick={actions.askDisconnect}
              >
                {m.disconnect}
              </Button>
            ) : null}
          </Flex>
        )}
        {action.kind === "failed" ? (
          <Alert
            testId={`${provider}-connection-action-failed`}
            variant="danger"
            title={m.actionFailedTitle}
          >
            {t.errorText(action.error)} ({action.error.code})
          </Alert>
        ) : null}
      </Flex>
    </Tile>
  );
}

function Connect({
  m,
  connection,
  actions,
  onCheck,
}: {
  m: SettingsMessages;
  connection: Connection;
  actions: ProviderConnectionActions;
  onCheck: () => Promise<void>;
}) {
  const { provider } = connection;
  const name = PROVIDER_NAMES[provider];
  const { action } = actions;
  return (
    <Flex direction="column" gap="sm">
      {action.kind === "authorize" ? (
        <Flex direction="column" gap="xs" testId={`${provider}-authorize`}>
          <Link testId={`${provider}-authorize-link`} href={{ url: action.url, external: true }}>
            {m.continueToProvider(name)}
          </Link>
          <Text variant="microcopy">{m.authorizeHint}</Text>
          <Button
            testId={`${provider}-check-connection`}
            size="sm"
            variant="secondary"
            onClick={() => actions.check(onCheck)}
          >
            {m.checkConnections}
          </Button>
        </Flex>
      ) : (
        <LoadingButton
          testId={`${provider}-connect-oauth`}
          variant="primary"
          loading={action.kind === "working"}
          disabled={action.kind === "working"}
          onClick={actions.authorize}
        >
          {m.connectWithOAuth(name)}
        </LoadingButton>
      )}
      {connection.provider === "pennylane" ? (
        <ApiTokenForm
          provider={provider}
          m={m}
          actions={actions}
          disabled={action.kind === "working"}
        />
      ) : null}
      {action.kind === "tokenMalformed" ? (
        <Text testId={`${provider}-token-malformed`}>{m.apiTokenMalformed}</Text>
      ) : null}
    </Flex>
  );
}

function ApiTokenForm({
  provider,
  m,
  actions,
  disabled,
}: {
  provider: ProviderName;
  m: SettingsMessages;
  actions: ProviderConnectionActions;
  disabled: boolean;
}) {
  const [token, setToken] = useState("");
  return (
    <Flex direction="row" gap="sm" align="end">
      <Input
        testId={`${provider}-api-token`}
        type="password"
        name="pennylane-api-token"
        label={m.apiTokenLabel}
        description={m.apiTokenDescription}
        value={token}
        onChange={setToken}
      />
      <Button
        testId={`${provider}-connect-token`}
        disabled={disabled || token.trim() === ""}
        onClick={() => actions.connectToken(token)}
      >
        {m.connectWithToken}
      </Button>
    </Flex>
  );
}

function DisconnectConfirmation({
  provider,
  m,
  name,
  actions,
}: {
  provider: ProviderName;
  m: SettingsMessages;
  name: string;
  actions: ProviderConnectionActions;
}) {
  return (
    <Flex direction="column" gap="xs" testId={`${provider}-disconnect-confirmation`}>
      <Text format={{ fontWeight: "demibold" }}>{m.disconnectQuestion(name)}</Text>
      <Text variant="microcopy">{m.disconnectConsequence}</Text>
      <ButtonRow>
        <Button
          testId={`${provider}-confirm-disconnect`}
          variant="destructive"
          onClick={actions.disconnect}
        >
          {m.confirmDisconnect}
        </Button>
        <Button
          testId={`${provider}-cancel-disconnect`}
          variant="secondary"
          onClick={actions.cancel}
        >
          {m.cancel}
        </Button>
      </ButtonRow>
    </Flex>
  );
}
