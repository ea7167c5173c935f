// Workspace edits: panes placed where there is room, layouts that must fit the screen, pinned
// symbols, and workspaces added, renamed, deleted, switched, exported and imported.

import { describe, expect, it } from 'vitest';
import { DEFAULT_WORKSPACE, GRID_COLS, GRID_ROWS, MAX_PANES, type Workspace, type WorkspacesState } from '../../../main/contract.js';
import { checkWorkspaces } from '../../../app/host/workspace-store.js';
import {
  activeWorkspace,
  addPane,
  addWorkspace,
  applyLayout,
  deleteWorkspace,
  editActive,
  exportWorkspace,
  freePlace,
  importWorkspace,
  removePane,
  renameWorkspace,
  setPaneSymbol,
  switchWorkspace,
} from '../../../renderer/src/lib/workspace-layout.js';

const state: WorkspacesState = { version: 1, active: 'trading', workspaces: [DEFAULT_WORKSPACE] };
const value = <T>(edit: { ok: true; value: T } | { ok: false; message: string }): T => {
  if (!edit.ok) throw new Error(edit.message);
  return edit.value;
};
const empty: Workspace = { id: 'e', name: 'Empty', panes: [], alerts: [] };

describe('panes', () => {
  it('the default layout fills the screen without overlaps and is valid for the host', () => {
    const cells = new Set<string>();
    for (const p of DEFAULT_WORKSPACE.panes) for (let x = p.x; x < p.x + p.w; x += 1) for (let y = p.y; y < p.y + p.h; y += 1) cells.add(`${x},${y}`);
    expect(cells.size).toBe(GRID_COLS * GRID_ROWS);
    expect(checkWorkspaces(state).ok).toBe(true);
  });

  it('adds a pane at the first free place, smaller when its size does not fit, and refuses when full', () => {
    const one = value(addPane(empty, 'candles', 'okx:BTC-USDT'));
    expect(one.panes[0]).toMatchObject({ id: 'candles', kind: 'candles', symbol: 'okx:BTC-USDT', x: 0, y: 0, w: 9, h: 10 });
    const two = value(addPane(one, 'candles', null));
    expect(two.panes[1]).toMatchObject({ id: 'candles-2', x: 9, y: 0 });
    // Room on the screen in view, even if smaller, comes before the screen below.
    expect(value(addPane(value(removePane(DEFAULT_WORKSPACE, 'depth')), 'heatmap', null)).panes.at(-1)).toMatchObject({ x: 5, y: 10, w: 9, h: 5 });
    // The default layout fills the screen: a new pane goes on the screen below.
    expect(value(addPane(DEFAULT_WORKSPACE, 'heatmap', null)).panes.at(-1)).toMatchObject({ x: 0, y: GRID_ROWS, w: 9, h: 10 });
    // Four rows left at the bottom of the second screen: a depth pane (9 × 7) comes in at half height.
    const full = (h: number): Workspace => ({
      ...empty,
      panes: [
        { id: 'a', kind: 'panel', symbol: null, x: 0, y: 0, w: 24, h: 24 },
        { id: 'b', kind: 'panel', symbol: null, x: 0, y: 24, w: 24, h },
      ],
    });
    expect(value(addPane(full(20), 'depth', null)).panes[2]).toMatchObject({ x: 0, y: 44, w: 9, h: 4 });
    expect(freePlace(full(22).panes, 9, 7)).toBeUndefined();
    expect(addPane(full(22), 'depth', null)).toEqual({ ok: false, message: 'There is no room left: remove or shrink a pane first.' });
  });

  it('keeps a pane that is about no symbol free of one', () => {
    expect(value(addPane(empty, 'health', 'okx:BTC-USDT')).panes[0]?.symbol).toBeNull();
  });

  it(`holds at most ${MAX_PANES} panes`, () => {
    let ws = empty;
    for (let i = 0; i < MAX_PANES; i += 1) ws = { ...ws, panes: [...ws.panes, { id: `p${i}`, kind: 'health', symbol: null, x: 0, y: 0, w: 2, h: 2 }] };
    expect(addPane(ws, 'health', null).ok).toBe(false);
  });

  it('moves and resizes from the grid, refusing what leaves the screen', () => {
    const moved = value(applyLayout(DEFAULT_WORKSPACE, [{ i: 'book', x: 14, y: 0, w: 4, h: 17 }]));
    expect(moved.panes.find((p) => p.id === 'book')).toMatchObject({ w: 4 });
    expect(value(applyLayout(DEFAULT_WORKSPACE, [{ i: 'panel', x: 0, y: 30, w: 24, h: 7 }])).panes.at(-1)).toMatchObject({ y: 30 });
    expect(applyLayout(DEFAULT_WORKSPACE, [{ i: 'panel', x: 0, y: 44, w: 24, h: 7 }]).ok).toBe(false);
    // Nothing changed: the same object (no save).
    expect(
      value(
        applyLayout(
          DEFAULT_WORKSPACE,
          DEFAULT_WORKSPACE.panes.map((p) => ({ i: p.id, x: p.x, y: p.y, w: p.w, h: p.h })),
        ),
      ),
    ).toBe(DEFAULT_WORKSPACE);
  });

  it('removes a pane and pins one to a symbol', () => {
    const ws = value(removePane(DEFAULT_WORKSPACE, 'depth'));
    expect(ws.panes.map((p) => p.id)).not.toContain('depth');
    expect(value(setPaneSymbol(ws, 'chart', 'kraken:BTC/USD')).panes.find((p) => p.id === 'chart')?.symbol).toBe('kraken:BTC/USD');
  });
});

describe('workspaces', () => {
  it('adds one (active, unique id), renames, switches and deletes, never the last', () => {
    const two = value(addWorkspace(state, 'Scalping', { panes: [], alerts: [] }));
    expect(two.active).toBe('scalping');
    const three = value(addWorkspace(two, 'Scalping', { panes: [], alerts: [] }));
    expect(three.workspaces.map((w) => w.id)).toEqual(['trading', 'scalping', 'scalping-2']);
    expect(value(renameWorkspace(three, 'scalping-2', ' Night ')).workspaces[2]?.name).toBe('Night');
    expect(renameWorkspace(three, 'scalping-2', '  ').ok).toBe(false);
    expect(value(switchWorkspace(three, 'trading')).active).toBe('trading');
    expect(switchWorkspace(three, 'nope').ok).toBe(false);
    const two2 = value(deleteWorkspace(three, 'scalping-2'));
    expect(two2.active).toBe('trading');
    expect(deleteWorkspace(state, 'trading')).toEqual({ ok: false, message: 'The last workspace cannot be deleted.' });
    expect(addWorkspace(state, '', { panes: [], alerts: [] }).ok).toBe(false);
  });

  it('edits the active workspace only', () => {
    const two = value(addWorkspace(state, 'Other', { panes: [], alerts: [] }));
    const edited = value(editActive(two, (w) => addPane(w, 'health', null)));
    expect(edited.workspaces[0]).toBe(DEFAULT_WORKSPACE);
    expect(activeWorkspace(edited).panes).toHaveLength(1);
  });

  it('exports a workspace to a file and imports it back beside the others, renamed if taken, and the host accepts it', () => {
    const file = exportWorkspace(DEFAULT_WORKSPACE);
    const imported = value(importWorkspace(state, file));
    expect(imported.workspaces).toHaveLength(2);
    expect(activeWorkspace(imported)).toMatchObject({ name: 'Trading (imported)', panes: DEFAULT_WORKSPACE.panes });
    expect(checkWorkspaces(imported).ok).toBe(true);
    expect(importWorkspace(state, '{').ok).toBe(false);
    expect(importWorkspace(state, '{"format":"other","version":1}')).toEqual({ ok: false, message: 'That is not a Ticker Deck workspace file (version 1).' });
    expect(importWorkspace(state, '{"format":"ticker-deck-workspace","version":1,"workspace":{"name":"x"}}').ok).toBe(false);
  });

  it('leaves to the host what an imported file gets wrong inside', () => {
    const bad = JSON.stringify({ format: 'ticker-deck-workspace', version: 1, workspace: { name: 'Bad', panes: [{ id: 'x', kind: 'nope' }], alerts: [] } });
    const candidate = value(importWorkspace(state, bad));
    const checked = checkWorkspaces(candidate);
    expect(checked.ok).toBe(false);
  });
});
