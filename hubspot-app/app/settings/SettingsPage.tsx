/**
 * The Encaisse settings page (`settings` location): accounting connections and their sync,
 * invoicing, the dunning plan and its language, and who sees amounts. Only what changed is sent to
 * `PUT /v1/settings`, after the dunning plan passed the shared schema.
 */
import { useMemo } from "react";
import {
  Alert,
  Divider,
  Flex,
  Heading,
  LoadingButton,
  type SettingsContext,
  Text,
  hubspot,
} from "@hubspot/ui-extensions";
import { Loading, LoadFailed } from "../cards/components/CardStates.tsx";
import { invalidFieldsOf } from "../cards/utils/api.ts";
import { type Translator, translatorFor } from "../cards/utils/i18n.ts";
import { AmountVisibilitySection, teamOptions } from "./components/AmountVisibilitySection.tsx";
import { BackfillProgressBar } from "./components/BackfillProgressBar.tsx";
import { DunningLadderEditor } from "./components/DunningLadderEditor.tsx";
import { DunningLocaleSelect } from "./components/DunningLocaleSelect.tsx";
import { ExtensionPairing } from "./components/ExtensionPairing.tsx";
import { InvoicingSection } from "./components/InvoicingSection.tsx";
import { ProviderConnection } from "./components/ProviderConnection.tsx";
import { SyncStatusView } from "./components/SyncStatusView.tsx";
import { type SettingsPageState, useSettingsPage } from "./hooks/useSettingsPage.ts";
import { type SettingsMessages, settingsMessagesFor } from "./utils/messages.ts";

hubspot.extend<"settings">(({ context }) => <SettingsPage context={context} />);

export function SettingsPage({ context }: { context: SettingsContext }) {
  const t = useMemo(() => translatorFor(context.user.locale), [context.user.locale]);
  const m = useMemo(() => settingsMessagesFor(context.user.locale), [context.user.locale]);
  const page = useSettingsPage();
  const { load, form } = page;
  if (load.kind === "loading") return <Loading t={t} label={m.loading} />;
  if (load.kind === "failed") {
    return <LoadFailed t={t} title={m.loadFailedTitle} error={load.error} onRetry={page.reload} />;
  }
  if (form === null) return <Loading t={t} label={m.loading} />;
  return (
    <Flex direction="column" gap="lg">
      <Flex direction="column" gap="sm">
        <Heading>{m.connectionsTitle}</Heading>
        {load.connections.map((connection) => (
          <ProviderConnection
            key={connection.provider}
            t={t}
            m={m}
            connection={connection}
            onChanged={page.replaceConnection}
            onCheck={page.reloadConnections}
          />
        ))}
        <SyncStatusView t={t} m={m} sync={page.sync} />
        <BackfillProgressBar t={t} m={m} sync={page.sync} />
      </Flex>
      <Divider />
      <InvoicingSection m={m} form={form} onChange={page.edit} />
      <Divider />
      <DunningLadderEditor
        m={m}
        steps={form.dunningLadder}
        problems={page.problems}
        onChange={page.editLadder}
      />
      <DunningLocaleSelect
        m={m}
        value={form.dunningLocale}
        onChange={(dunningLocale) => page.edit({ dunningLocale })}
      />
      <Divider />
      <AmountVisibilitySection
        m={m}
        teams={teamOptions(m, context.user.teams, form.amountsVisibleToTeamIds)}
        value={form.amountsVisibleToTeamIds}
        onChange={(amountsVisibleToTeamIds) => page.edit({ amountsVisibleToTeamIds })}
      />
      <SaveBar t={t} m={m} page={page} />
      <Divider />
      <ExtensionPairing t={t} locale={context.user.locale} />
    </Flex>
  );
}

function SaveBar({ t, m, page }: { t: Translator; m: SettingsMessages; page: SettingsPageState }) {
  const { save } = page;
  return (
    <Flex direction="column" gap="sm">
      <LoadingButton
        testId="save"
        variant="primary"
        loading={save.kind === "saving"}
        disabled={!page.dirty || save.kind === "saving"}
        onClick={page.submit}
      >
        {m.save}
      </LoadingButton>
      {save.kind === "saved" ? <Alert testId="saved" variant="success" title={m.saved} /> : null}
      {save.kind === "invalid" ? <Text testId="fix-problems">{m.fixProblems}</Text> : null}
      {save.kind === "failed" ? (
        <Alert testId="save-failed" variant="danger" title={m.saveFailedTitle}>
          <Text>
            {t.errorText(save.error)} ({save.error.code})
          </Text>
          {invalidFieldsOf(save.error).map((field) => (
            <Text key={field.field}>
              {field.field}: {field.message}
            </Text>
          ))}
        </Alert>
      ) : null}
    </Flex>
  );
}
