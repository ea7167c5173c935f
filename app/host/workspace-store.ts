// The trader's workspaces (layouts and their alerts), persisted as JSON in the user data
// directory: checked field by field wherever they come from (the page, an imported file, the
// disk), written atomically and one write at a time. A damaged file is kept aside, said once,
// and the default layout used instead; the app keeps running.

import { readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { fsErrorCode, writeFileAtomic } from '../core/atomic-file.js';
import { formatIssues } from '../core/config.js';
import {
  ALERT_KINDS,
  DEFAULT_WORKSPACES,
  GRID_COLS,
  GRID_ROWS,
  MAX_GRID_ROWS,
  MAX_ALERTS,
  MAX_PANES,
  MAX_WORKSPACES,
  PANE_KINDS,
  type WorkspacesState,
} from './workspace-types.js';

const itemId = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'an id is 1 to 40 letters, digits, - or _');
const feedId = z.string().min(1).max(100);
const positive = z.number().finite().positive().max(1e15);

const paneSchema = z
  .strictObject({
    id: itemId,
    kind: z.enum(PANE_KINDS),
    symbol: feedId.nullable(),
    x: z
      .int()
      .min(0)
      .max(GRID_COLS - 1),
    y: z
      .int()
      .min(0)
      .max(MAX_GRID_ROWS - 1),
    w: z.int().min(2).max(GRID_COLS),
    h: z.int().min(2).max(GRID_ROWS),
  })
  .refine((p) => p.x + p.w <= GRID_COLS && p.y + p.h <= MAX_GRID_ROWS, 'a pane must fit the grid');

const alertSchema = z
  .strictObject({
    id: itemId,
    kind: z.enum(ALERT_KINDS),
    symbol: feedId,
    price: positive.optional(),
    direction: z.enum(['above', 'below']).optional(),
    notional: positive.optional(),
    seconds: z.int().min(1).max(86_400).optional(),
    enabled: z.boolean(),
  })
  .refine((a) => a.kind !== 'price' || (a.price !== undefined && a.direction !== undefined), 'a price alert needs a price and a direction')
  .refine((a) => a.kind !== 'print' || a.notional !== undefined, 'a print alert needs a notional')
  .refine((a) => a.kind !== 'stale' || a.seconds !== undefined, 'a stale-feed alert needs a number of seconds');

const unique = <T extends { id: string }>(items: readonly T[]): boolean => new Set(items.map((i) => i.id)).size === items.length;

const workspaceSchema = z.strictObject({
  id: itemId,
  name: z.string().trim().min(1, 'a workspace needs a name').max(60),
  panes: z.array(paneSchema).max(MAX_PANES).refine(unique, 'pane ids repeat'),
  alerts: z.array(alertSchema).max(MAX_ALERTS).refine(unique, 'alert ids repeat'),
});

export const workspacesSchema = z
  .strictObject({
    version: z.literal(1),
    active: itemId,
    workspaces: z.array(workspaceSchema).min(1).max(MAX_WORKSPACES).refine(unique, 'workspace ids repeat'),
  })
  .refine((s) => s.workspaces.some((w) => w.id === s.active), 'the active workspace is not among them');

/** One workspace as exported to a file and imported back. */
export const workspaceFileSchema = workspaceSchema;

/** The state checked, or the problems in words. */
export function checkWorkspaces(value: unknown): { ok: true; value: WorkspacesState } | { ok: false; problems: string[] } {
  const parsed = workspacesSchema.safeParse(value);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, problems: formatIssues(parsed.error) };
}

export interface WorkspacesLoad {
  readonly state: WorkspacesState;
  /** What was wrong with the saved file, in words; empty when it was fine. */
  readonly problems: string[];
}

export class WorkspaceStore {
  readonly file: string;

  constructor(directory: string) {
    this.file = path.join(directory, 'workspaces.json');
  }

  async load(): Promise<WorkspacesLoad> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      const code = fsErrorCode(error);
      if (code === 'ENOENT') return { state: DEFAULT_WORKSPACES, problems: [] };
      return this.setAside(code === 'EISDIR' ? 'it is a folder, not a file' : `it cannot be read (${code ?? String(error)})`);
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (error) {
      return this.setAside(`it is not JSON (${(error as Error).message})`);
    }
    const checked = checkWorkspaces(raw);
    if (!checked.ok) return this.setAside(`it does not hold valid workspaces (${checked.problems.slice(0, 3).join('; ')})`);
    return { state: checked.value, problems: [] };
  }

  save(state: WorkspacesState | (() => WorkspacesState)): Promise<void> {
    return writeFileAtomic(this.file, () => `${JSON.stringify(typeof state === 'function' ? state() : state, null, 2)}\n`);
  }

  private async setAside(why: string): Promise<WorkspacesLoad> {
    const aside = `${this.file}.damaged-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    const problems = [`workspaces.json was not used: ${why}; the default layout is shown instead`];
    try {
      await rename(this.file, aside);
      problems.push(`the original file was kept as ${path.basename(aside)}`);
    } catch (error) {
      problems.push(`the original workspaces.json could not be kept aside (${fsErrorCode(error) ?? String(error)})`);
    }
    return { state: DEFAULT_WORKSPACES, problems };
  }
}
