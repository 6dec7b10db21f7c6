/**
 * Which HubSpot teams see amounts on the cards: everyone, or only the teams chosen. The
 * teams offered are the admin's own (`context.user.teams`) and those already chosen.
 */
import { Flex, Heading, Text, Toggle, ToggleGroup } from "@hubspot/ui-extensions";
import type { SettingsMessages } from "../utils/messages.ts";

export interface TeamOption {
  readonly id: string;
  readonly name: string;
}

export function teamOptions(
  m: SettingsMessages,
  userTeams: readonly { id: number; name: string }[],
  chosen: readonly string[] | null,
): TeamOption[] {
  const options = userTeams.map((team) => ({ id: String(team.id), name: team.name }));
  for (const id of chosen ?? []) {
    if (!options.some((option) => option.id === id)) options.push({ id, name: m.teamFallback(id) });
  }
  return options;
}

export function AmountVisibilitySection({
  m,
  teams,
  value,
  onChange,
}: {
  m: SettingsMessages;
  teams: readonly TeamOption[];
  value: readonly string[] | null;
  onChange: (teamIds: readonly string[] | null) => void;
}) {
  return (
    <Flex direction="column" gap="sm">
      <Heading>{m.visibilityTitle}</Heading>
      <Toggle
        testId="everyone-sees-amounts"
        name="everyone-sees-amounts"
        label={m.everyoneSeesAmounts}
        labelDisplay="inline"
        checked={value === null}
        onChange={(everyone) => onChange(everyone ? null : [])}
      />
      {value === null ? null : teams.length === 0 ? (
        <Text testId="no-teams">{m.noTeamsKnown}</Text>
      ) : (
        <ToggleGroup
          testId="teams"
          toggleType="checkboxList"
          name="teams"
          label={m.teamsLabel}
          value={[...value]}
          options={teams.map((team) => ({ value: team.id, label: team.name }))}
          onChange={(teamIds: string[]) => onChange(teamIds)}
        />
      )}
    </Flex>
  );
}
