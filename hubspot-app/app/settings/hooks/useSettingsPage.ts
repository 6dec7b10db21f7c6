/**
 * The settings page's data: the tenant's settings and connections (the page needs both),
 * the sync status (shown when available), the form being edited and its save.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import type { DunningStep } from "@encaisse/shared";
import type { Settings } from "@encaisse/shared/contracts";
import {
  type BackendError,
  asBackendError,
  fetchConnections,
  fetchSettings,
  fetchSyncStatus,
  updateSettings,
} from "../../cards/utils/api.ts";
import {
  type LadderProblem,
  type SettingsForm,
  changesOf,
  formOf,
  ladderProblems,
} from "../utils/settings-form.ts";

type Connections = Awaited<ReturnType<typeof fetchConnections>>["connections"];
type SyncStatus = Awaited<ReturnType<typeof fetchSyncStatus>>;

export type PageLoad =
  | { readonly kind: "loading" }
  | { readonly kind: "failed"; readonly error: BackendError }
  | { readonly kind: "loaded"; readonly saved: Settings; readonly connections: Connections };

export type SyncLoad =
  | { readonly kind: "loading" }
  | { readonly kind: "failed"; readonly error: BackendError }
  | { readonly kind: "loaded"; readonly status: SyncStatus };

export type SaveState =
  | { readonly kind: "idle" }
  | { readonly kind: "saving" }
  | { readonly kind: "saved" }
  | { readonly kind: "invalid" }
  | { readonly kind: "failed"; readonly error: BackendError };

export interface SettingsPageState {
  readonly load: PageLoad;
  readonly sync: SyncLoad;
  readonly form: SettingsForm | null;
  readonly problems: readonly LadderProblem[];
  readonly save: SaveState;
  readonly dirty: boolean;
  edit(change: Partial<SettingsForm>): void;
  editLadder(steps: readonly DunningStep[]): void;
  submit(): void;
  reload(): void;
  /** After an OAuth round trip in another tab: fresh connections, the edits kept. */
  reloadConnections(): Promise<void>;
  replaceConnection(connection: Connections[number]): void;
}

/** How often a moving sync's progress is read again. */
export const SYNC_POLL_MS = 5_000;

export function useSettingsPage(): SettingsPageState {
  const [load, setLoad] = useState<PageLoad>({ kind: "loading" });
  const [sync, setSync] = useState<SyncLoad>({ kind: "loading" });
  const [form, setForm] = useState<SettingsForm | null>(null);
  const [problems, setProblems] = useState<readonly LadderProblem[]>([]);
  const [save, setSave] = useState<SaveState>({ kind: "idle" });
  const saving = useRef(false);

  const reloadSync = useCallback(() => {
    fetchSyncStatus().then(
      (status) => setSync({ kind: "loaded", status }),
      (error: unknown) => setSync({ kind: "failed", error: asBackendError(error) }),
    );
  }, []);

  const reload = useCallback(() => {
    setLoad({ kind: "loading" });
    Promise.all([fetchSettings(), fetchConnections()]).then(
      ([saved, { connections }]) => {
        setLoad({ kind: "loaded", saved, connections });
        setForm(formOf(saved));
      },
      (error: unknown) => setLoad({ kind: "failed", error: asBackendError(error) }),
    );
    reloadSync();
  }, [reloadSync]);

  useEffect(reload, [reload]);

  // A backfill takes minutes: while the sync is queued or running, its progress is read
  // again every few seconds so the bar moves without a reload.
  const syncMoving =
    sync.kind === "loaded" && (sync.status.state === "queued" || sync.status.state === "running");
  useEffect(() => {
    if (!syncMoving) return undefined;
    const timer = setTimeout(reloadSync, SYNC_POLL_MS);
    return () => clearTimeout(timer);
  }, [syncMoving, sync, reloadSync]);

  const saved = load.kind === "loaded" ? load.saved : null;
  const changes = saved && form ? changesOf(saved, form) : {};
  const dirty = Object.keys(changes).length > 0;

  return {
    load,
    sync,
    form,
    problems,
    save,
    dirty,
    edit: (change) => {
      setForm((current) => (current ? { ...current, ...change } : current));
      setSave({ kind: "idle" });
    },
    editLadder: (steps) => {
      setForm((current) => (current ? { ...current, dunningLadder: steps } : current));
      // Once a save was refused, the problems follow the edits so they clear as fixed.
      setProblems((current) => (current.length > 0 ? ladderProblems(steps) : current));
      setSave({ kind: "idle" });
    },
    submit: () => {
      if (!saved || !form || saving.current || !dirty) return;
      const found = ladderProblems(form.dunningLadder);
      setProblems(found);
      if (found.length > 0) {
        setSave({ kind: "invalid" });
        return;
      }
      saving.current = true;
      setSave({ kind: "saving" });
      updateSettings(changes).then(
        (updated) => {
          saving.current = false;
          setLoad((current) =>
            current.kind === "loaded" ? { ...current, saved: updated } : current,
          );
          setForm(formOf(updated));
          setSave({ kind: "saved" });
        },
        (error: unknown) => {
          saving.current = false;
          setSave({ kind: "failed", error: asBackendError(error) });
        },
      );
    },
    reload,
    reloadConnections: async () => {
      reloadSync();
      const { connections } = await fetchConnections();
      setLoad((current) => (current.kind === "loaded" ? { ...current, connections } : current));
    },
    replaceConnection: (connection) =>
      setLoad((current) =>
        current.kind === "loaded"
          ? {
              ...current,
              connections: current.connections.map((existing) =>
                existing.provider === connection.provider ? connection : existing,
              ),
            }
          : current,
      ),
  };
}
