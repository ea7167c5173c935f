// The watchlist (which symbols of which exchanges are collected) persisted as JSON in the
// user data directory. Written atomically; a damaged file is kept aside, never lost, and the
// default list is used instead.

import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { formatIssues } from '../core/config.js';
import { getLogger } from '../core/logger.js';
import { DATA_TYPES } from '../core/types.js';
import type { WatchlistEntry } from './frames.js';

const log = getLogger('host');

export type { WatchlistEntry } from './frames.js';

export const DEFAULT_WATCHLIST: readonly WatchlistEntry[] = [{ exchange: 'okx', symbol: 'BTC-USDT', dataTypes: DATA_TYPES }];

const fileSchema = z.object({
  version: z.literal(1),
  entries: z
    .array(
      z.object({
        exchange: z.string().min(1).max(32),
        symbol: z.string().min(1).max(64),
        dataTypes: z.array(z.enum(DATA_TYPES)).min(1).max(DATA_TYPES.length),
      }),
    )
    .max(500),
});

export class WatchlistStore {
  readonly file: string;

  constructor(directory: string) {
    this.file = path.join(directory, 'watchlist.json');
  }

  /** The saved list; the default when there is none; the default (with the bad file kept) when it is damaged. */
  async load(): Promise<WatchlistEntry[]> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [...DEFAULT_WATCHLIST];
      throw error;
    }
    let problem: string;
    try {
      const parsed = fileSchema.safeParse(JSON.parse(text));
      if (parsed.success) return parsed.data.entries;
      problem = formatIssues(parsed.error).join('; ');
    } catch (error) {
      problem = `not JSON (${(error as Error).message})`;
    }
    const aside = `${this.file}.damaged-${Date.now()}`;
    await rename(this.file, aside);
    log.error({ file: this.file, keptAs: aside, problem }, 'watchlist file is damaged; using the default list');
    return [...DEFAULT_WATCHLIST];
  }

  async save(entries: readonly WatchlistEntry[]): Promise<void> {
    await mkdir(path.dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    await writeFile(temporary, `${JSON.stringify({ version: 1, entries }, null, 2)}\n`, 'utf8');
    await rename(temporary, this.file);
  }
}
