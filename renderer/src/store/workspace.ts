// The workspaces as the page holds them: the host's state (loaded, then kept current by its
// events), whether the layout is unlocked for editing, and the last refusal. An edit is applied
// at once (a drag must not wait for the host) and saved; saves go one at a time, the newest
// state winning; a refused save brings back the host's state and says why.

import { create } from 'zustand';
import { DEFAULT_WORKSPACE, type WorkspacesState } from '../../../main/contract';
import type { HostClient } from '../api/client';
import type { Edit } from '../lib/workspace-layout';

export interface WorkspaceUi {
  readonly state: WorkspacesState;
  /** Whether the host's state has arrived (until then the default layout is drawn). */
  readonly loaded: boolean;
  /** Panes can be moved, resized, added and removed. */
  readonly editing: boolean;
  /** Why the last change was refused, until the next one. */
  readonly problem: string | undefined;
  readonly setEditing: (editing: boolean) => void;
  readonly received: (state: WorkspacesState) => void;
  /** Applies an edit and saves it; a refused edit only sets `problem`. */
  readonly change: (edit: (state: WorkspacesState) => Edit<WorkspacesState>) => boolean;
  /**
   * For changes from outside (an imported file): the host checks it first and only then is it
   * shown; resolves whether it was taken.
   */
  readonly propose: (edit: (state: WorkspacesState) => Edit<WorkspacesState>) => Promise<boolean>;
  readonly clearProblem: () => void;
}

let saver: ((state: WorkspacesState) => Promise<string | undefined>) | undefined;
let reload: (() => void) | undefined;
/** The saves on their way, one at a time (see flush); undefined when none is. */
let flushing: Promise<void> | undefined;
let pending: WorkspacesState | undefined;

/** Where saves go: the host, through the client (set once the app has one). */
export function connectWorkspaces(client: HostClient): () => void {
  saver = async (state) => {
    const result = await client.call('saveWorkspaces', { state });
    return result.ok ? undefined : result.error.message;
  };
  const load = (): void => {
    void client.call('getWorkspaces', {}).then((r) => {
      // An edit made while this was on its way is newer than the answer: its own save settles it.
      if (r.ok && (flushing === undefined || !useWorkspace.getState().loaded) && pending === undefined) useWorkspace.getState().received(r.value);
    });
  };
  reload = load;
  if (client.connection() === 'open') load();
  const offConnection = client.onConnection((state) => state === 'open' && load());
  const offEvent = client.on('workspaces', (state) => {
    // Our own saves come back as events while newer edits may be on their way: the state read
    // once the saves are done settles it.
    if (flushing === undefined && pending === undefined) useWorkspace.getState().received(state);
  });
  return () => {
    saver = undefined;
    reload = undefined;
    offConnection();
    offEvent();
  };
}

/** Saves the newest pending state, and any made meanwhile, unless saves are already on their way. */
function flush(): void {
  const save = saver;
  if (flushing !== undefined || save === undefined || pending === undefined) return;
  flushing = (async () => {
    while (pending !== undefined) {
      const state = pending;
      pending = undefined;
      const problem = await save(state).catch((error: unknown) => (error instanceof Error ? error.message : String(error)));
      if (problem !== undefined) {
        useWorkspace.setState({ problem });
        pending = undefined;
      }
    }
  })().finally(() => {
    flushing = undefined;
    // The host's state is the truth (another client may have changed it meanwhile, or it refused).
    reload?.();
  });
}

export const useWorkspace = create<WorkspaceUi>()((set, get) => ({
  state: { version: 1, active: DEFAULT_WORKSPACE.id, workspaces: [DEFAULT_WORKSPACE] },
  loaded: false,
  editing: false,
  problem: undefined,
  setEditing: (editing) => set({ editing }),
  // While a save of ours is on its way, its echo is the state we already show; a later event wins.
  received: (state) => set({ state, loaded: true }),
  change: (edit) => {
    // Nothing is saved before the host's state is known: the default drawn meanwhile is not the trader's.
    if (!get().loaded) return false;
    const result = edit(get().state);
    if (!result.ok) {
      set({ problem: result.message });
      return false;
    }
    if (result.value === get().state) return true;
    set({ state: result.value, problem: undefined });
    pending = result.value;
    flush();
    return true;
  },
  propose: async (edit) => {
    if (!get().loaded) return false;
    const result = edit(get().state);
    if (!result.ok) {
      set({ problem: result.message });
      return false;
    }
    if (saver === undefined) {
      set({ problem: 'Not connected to the host: try again once connected.' });
      return false;
    }
    // After any save of ours still on its way, so that this one is not overtaken.
    while (flushing !== undefined) await flushing;
    const problem = await saver(result.value).catch((error: unknown) => (error instanceof Error ? error.message : String(error)));
    if (problem !== undefined) {
      set({ problem: `Not imported: ${problem}` });
      return false;
    }
    set({ state: result.value, problem: undefined });
    return true;
  },
  clearProblem: () => set({ problem: undefined }),
}));
