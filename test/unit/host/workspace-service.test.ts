// Workspaces on the host: the default layout at first, every change checked whole, saved
// atomically and told to every client; a damaged file kept aside and said, never fatal; a full
// disk a notice while the change stays in effect.

import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HostError } from '../../../app/host/host-error.js';
import { WorkspaceService } from '../../../app/host/workspace-service.js';
import { DEFAULT_WORKSPACE, DEFAULT_WORKSPACES, type WorkspacesState } from '../../../app/host/workspace-types.js';

let dir: string;
let notices: string[];
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'ticker-deck-workspaces-'));
  notices = [];
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const service = (): WorkspaceService => new WorkspaceService(dir, (_level, message) => notices.push(message));
const two: WorkspacesState = {
  version: 1,
  active: 'scalp',
  workspaces: [
    DEFAULT_WORKSPACE,
    {
      id: 'scalp',
      name: 'Scalp',
      panes: [{ id: 'heatmap', kind: 'heatmap', symbol: 'okx:BTC-USDT', x: 0, y: 0, w: 12, h: 12 }],
      alerts: [{ id: 'a1', kind: 'price', symbol: 'okx:BTC-USDT', price: 70_000, direction: 'above', enabled: true }],
    },
  ],
};

describe('WorkspaceService', () => {
  it('starts with the default layout and keeps what is saved, for every client and across restarts', async () => {
    const first = service();
    await first.load();
    expect(first.state()).toEqual(DEFAULT_WORKSPACES);
    const heard: WorkspacesState[] = [];
    first.on('workspaces', (state) => heard.push(state));
    await first.save(two);
    expect(heard).toEqual([two]);
    const again = service();
    await again.load();
    expect(again.state()).toEqual(two);
    expect(notices).toEqual([]);
  });

  it('refuses a state that is not whole and valid, and keeps the one it had', async () => {
    const s = service();
    await s.load();
    const bad = [
      { ...two, active: 'nope' },
      { ...two, workspaces: [{ ...DEFAULT_WORKSPACE, panes: [{ ...DEFAULT_WORKSPACE.panes[0], w: 40 }] }] },
      { ...two, workspaces: [DEFAULT_WORKSPACE, DEFAULT_WORKSPACE] },
      { ...two, workspaces: [{ ...DEFAULT_WORKSPACE, alerts: [{ id: 'x', kind: 'price', symbol: 'okx:BTC-USDT', enabled: true }] }] },
    ];
    for (const value of bad) await expect(s.save(value)).rejects.toBeInstanceOf(HostError);
    expect(s.state()).toEqual(DEFAULT_WORKSPACES);
  });

  it('keeps a damaged file aside, says so, and shows the default layout', async () => {
    await writeFile(path.join(dir, 'workspaces.json'), '{"version":1,"active":');
    const s = service();
    await s.load();
    expect(s.state()).toEqual(DEFAULT_WORKSPACES);
    expect(notices[0]).toMatch(/workspaces.json was not used: it is not JSON/);
    expect(notices[1]).toMatch(/kept as workspaces.json.damaged-/);
    expect((await readdir(dir)).some((f) => f.startsWith('workspaces.json.damaged-'))).toBe(true);
  });

  it('a write that fails is a notice; the change stays in effect', async () => {
    const s = service();
    await s.load();
    // A folder (not empty) where the file should be: the write fails.
    const blocker = path.join(dir, 'workspaces.json');
    await mkdir(path.join(blocker, 'inside'), { recursive: true });
    await expect(s.save(two)).resolves.toEqual(two);
    expect(s.state()).toEqual(two);
    expect(notices.some((n) => n.includes('The layout change is in effect but not saved yet.'))).toBe(true);
    await rm(blocker, { recursive: true });
    await s.save(two);
    expect(JSON.parse(await readFile(blocker, 'utf8'))).toEqual(two);
  });
});
