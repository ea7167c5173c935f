// Workspace edits as pure functions: add, remove, move and resize panes on the grid, pin a pane
// to a symbol, and add, rename, delete, switch, export and import workspaces. The host checks
// and keeps the result (see app/host/workspace-store.ts); these keep it valid to begin with.
// Free of the DOM and of React, so that it is tested in Node.

import {
  GRID_COLS,
  GRID_ROWS,
  MAX_GRID_ROWS,
  MAX_PANES,
  MAX_WORKSPACES,
  type Pane,
  type PaneKind,
  type Workspace,
  type WorkspacesState,
} from '../../../main/contract.js';

/** What each kind of pane is called, and the size it gets when added. */
export const PANE_INFO: Readonly<Record<PaneKind, { readonly title: string; readonly w: number; readonly h: number; readonly perSymbol: boolean }>> = {
  watchlist: { title: 'Watchlist', w: 5, h: 12, perSymbol: false },
  candles: { title: 'Candles', w: 9, h: 10, perSymbol: true },
  heatmap: { title: 'Heatmap', w: 9, h: 10, perSymbol: true },
  depth: { title: 'Depth', w: 9, h: 7, perSymbol: true },
  book: { title: 'Order book', w: 5, h: 14, perSymbol: true },
  consolidated: { title: 'Consolidated book', w: 5, h: 14, perSymbol: true },
  tape: { title: 'Trades', w: 5, h: 14, perSymbol: true },
  assetTape: { title: 'Aggregated tape', w: 6, h: 14, perSymbol: true },
  venues: { title: 'Venues', w: 12, h: 7, perSymbol: true },
  health: { title: 'Health', w: 12, h: 7, perSymbol: false },
  sessions: { title: 'Sessions', w: 12, h: 8, perSymbol: false },
  alerts: { title: 'Alerts', w: 12, h: 8, perSymbol: false },
  panel: { title: 'Health · Venues · Sessions · Alerts', w: 24, h: 7, perSymbol: false },
};

/** A pane kind's facts; one this page does not know (a newer host's) is named as it is. */
export function paneInfo(kind: string): { readonly title: string; readonly w: number; readonly h: number; readonly perSymbol: boolean } {
  return (PANE_INFO as Partial<Record<string, (typeof PANE_INFO)[PaneKind]>>)[kind] ?? { title: kind, w: 6, h: 6, perSymbol: false };
}

export type Edit<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

const ok = <T>(value: T): Edit<T> => ({ ok: true, value });
const refused = <T>(message: string): Edit<T> => ({ ok: false, message });

export function activeWorkspace(state: WorkspacesState): Workspace {
  return state.workspaces.find((w) => w.id === state.active) ?? (state.workspaces[0] as Workspace);
}

/** The state with the active workspace replaced by `change(it)`. */
export function editActive(state: WorkspacesState, change: (workspace: Workspace) => Edit<Workspace>): Edit<WorkspacesState> {
  const current = activeWorkspace(state);
  const changed = change(current);
  if (!changed.ok) return changed;
  return ok({ ...state, workspaces: state.workspaces.map((w) => (w.id === current.id ? changed.value : w)) });
}

const overlaps = (a: Pick<Pane, 'x' | 'y' | 'w' | 'h'>, b: Pick<Pane, 'x' | 'y' | 'w' | 'h'>): boolean =>
  a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

/**
 * The first free place (top to bottom, left to right, on the first screen and then the one
 * below) for a w × h pane, trying smaller sizes when none is free.
 */
export function freePlace(panes: readonly Pane[], w: number, h: number): { x: number; y: number; w: number; h: number } | undefined {
  const half = (n: number): number => Math.max(3, Math.ceil(n / 2));
  const sizes: [number, number][] = [
    [w, h],
    [w, half(h)],
    [half(w), h],
    [half(w), half(h)],
    [3, 3],
  ];
  // On the screen in view, smaller if need be, before the one below.
  for (const rows of [GRID_ROWS, MAX_GRID_ROWS]) {
    for (const [width, height] of sizes) {
      for (let y = 0; y + height <= rows; y += 1) {
        for (let x = 0; x + width <= GRID_COLS; x += 1) {
          const place = { x, y, w: width, h: height };
          if (!panes.some((p) => overlaps(p, place))) return place;
        }
      }
    }
  }
  return undefined;
}

/** A new id, unique among `taken`, from `base`. */
export function uniqueId(base: string, taken: readonly string[]): string {
  const stem =
    base
      .replace(/[^A-Za-z0-9_-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 30) || 'item';
  if (!taken.includes(stem)) return stem;
  for (let n = 2; ; n += 1) if (!taken.includes(`${stem}-${n}`)) return `${stem}-${n}`;
}

export function addPane(workspace: Workspace, kind: PaneKind, symbol: string | null): Edit<Workspace> {
  if (workspace.panes.length >= MAX_PANES) return refused(`A workspace holds at most ${MAX_PANES} panes.`);
  const info = PANE_INFO[kind];
  const place = freePlace(workspace.panes, info.w, info.h);
  if (place === undefined) return refused('There is no room left: remove or shrink a pane first.');
  const id = uniqueId(
    kind,
    workspace.panes.map((p) => p.id),
  );
  return ok({ ...workspace, panes: [...workspace.panes, { id, kind, symbol: info.perSymbol ? symbol : null, ...place }] });
}

export function removePane(workspace: Workspace, id: string): Edit<Workspace> {
  return ok({ ...workspace, panes: workspace.panes.filter((p) => p.id !== id) });
}

/** Positions and sizes from the grid; refused when a pane would leave it (the grid then snaps back). */
export function applyLayout(workspace: Workspace, layout: readonly { i: string; x: number; y: number; w: number; h: number }[]): Edit<Workspace> {
  const byId = new Map(layout.map((l) => [l.i, l]));
  const panes = workspace.panes.map((p) => {
    const l = byId.get(p.id);
    return l === undefined ? p : { ...p, x: l.x, y: l.y, w: l.w, h: l.h };
  });
  if (panes.some((p) => p.x < 0 || p.y < 0 || p.x + p.w > GRID_COLS || p.y + p.h > MAX_GRID_ROWS)) {
    return refused('That goes beyond two screens: make room first (shrink or remove a pane).');
  }
  const unchanged = panes.every((p, i) => {
    const before = workspace.panes[i];
    return before !== undefined && before.x === p.x && before.y === p.y && before.w === p.w && before.h === p.h;
  });
  return ok(unchanged ? workspace : { ...workspace, panes });
}

export function setPaneSymbol(workspace: Workspace, id: string, symbol: string | null): Edit<Workspace> {
  return ok({ ...workspace, panes: workspace.panes.map((p) => (p.id === id ? { ...p, symbol } : p)) });
}

/** A new workspace (a copy of `from`'s panes and alerts, or the given panes), made active. */
export function addWorkspace(state: WorkspacesState, name: string, from: Pick<Workspace, 'panes' | 'alerts'>): Edit<WorkspacesState> {
  const trimmed = name.trim();
  if (trimmed === '') return refused('A workspace needs a name.');
  if (trimmed.length > 60) return refused('A workspace name is at most 60 characters.');
  if (state.workspaces.length >= MAX_WORKSPACES) return refused(`At most ${MAX_WORKSPACES} workspaces are kept: delete one first.`);
  const id = uniqueId(
    trimmed.toLowerCase(),
    state.workspaces.map((w) => w.id),
  );
  return ok({ ...state, active: id, workspaces: [...state.workspaces, { id, name: trimmed, panes: from.panes, alerts: from.alerts }] });
}

export function renameWorkspace(state: WorkspacesState, id: string, name: string): Edit<WorkspacesState> {
  const trimmed = name.trim();
  if (trimmed === '' || trimmed.length > 60) return refused('A workspace name is 1 to 60 characters.');
  return ok({ ...state, workspaces: state.workspaces.map((w) => (w.id === id ? { ...w, name: trimmed } : w)) });
}

export function deleteWorkspace(state: WorkspacesState, id: string): Edit<WorkspacesState> {
  if (state.workspaces.length <= 1) return refused('The last workspace cannot be deleted.');
  const workspaces = state.workspaces.filter((w) => w.id !== id);
  return ok({ ...state, workspaces, active: state.active === id ? (workspaces[0]?.id ?? state.active) : state.active });
}

export function switchWorkspace(state: WorkspacesState, id: string): Edit<WorkspacesState> {
  return state.workspaces.some((w) => w.id === id) ? ok({ ...state, active: id }) : refused(`There is no workspace ${id}.`);
}

const FILE_FORMAT = 'ticker-deck-workspace';

/** A workspace as a file of its own. */
export function exportWorkspace(workspace: Workspace): string {
  return `${JSON.stringify({ format: FILE_FORMAT, version: 1, workspace }, null, 2)}\n`;
}

/**
 * A workspace read from an exported file, added beside the others (renamed if its name is
 * taken) and made active. Its fields are checked by the host when saved; here only the shape
 * that makes it a workspace file.
 */
export function importWorkspace(state: WorkspacesState, text: string): Edit<WorkspacesState> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return refused('That is not a workspace file: it is not JSON.');
  }
  const envelope = parsed as { format?: unknown; version?: unknown; workspace?: unknown } | null;
  if (typeof envelope !== 'object' || envelope === null || envelope.format !== FILE_FORMAT || envelope.version !== 1) {
    return refused('That is not a Ticker Deck workspace file (version 1).');
  }
  const workspace = envelope.workspace as Partial<Workspace> | null;
  if (
    typeof workspace !== 'object' ||
    workspace === null ||
    typeof workspace.name !== 'string' ||
    !Array.isArray(workspace.panes) ||
    !Array.isArray(workspace.alerts)
  ) {
    return refused('The workspace file has no name, panes or alerts.');
  }
  const names = state.workspaces.map((w) => w.name);
  let name = workspace.name.trim().slice(0, 50) || 'Imported';
  if (names.includes(name)) name = `${name} (imported)`;
  return addWorkspace(state, name, { panes: workspace.panes, alerts: workspace.alerts });
}
