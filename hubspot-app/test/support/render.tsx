/**
 * Renders a card as HubSpot would, on a record of a given type, for a user of a given
 * locale and teams, with `createRenderer` from `@hubspot/ui-extensions/testing`.
 */
import type { CrmContext } from "@hubspot/ui-extensions";
import { createRenderer } from "@hubspot/ui-extensions/testing";

const OBJECT_TYPE_IDS = { contacts: "0-1", companies: "0-2", deals: "0-3" } as const;

export interface RecordOptions {
  readonly objectType?: keyof typeof OBJECT_TYPE_IDS;
  readonly objectId?: number;
  readonly locale?: string;
  readonly teamIds?: readonly number[];
}

export function crmRenderer(
  location: "crm.record.tab" | "crm.record.sidebar",
  options: RecordOptions = {},
) {
  const renderer = createRenderer(location);
  const mock = renderer.mocks.context;
  const context: CrmContext = {
    ...mock,
    crm: {
      objectId: options.objectId ?? 4101,
      objectTypeId: OBJECT_TYPE_IDS[options.objectType ?? "companies"],
    },
    portal: { id: 62515, timezone: "Europe/Paris" },
    user: {
      ...mock.user,
      locale: options.locale ?? "fr-fr",
      teams: (options.teamIds ?? []).map((id) => ({ id, name: `Team ${id}`, teammates: [] })),
    },
  };
  return { ...renderer, context };
}
