// The watchlist (which symbols of which exchanges are collected) persisted as JSON in the
// user data directory, written atomically and one write at a time. Loading never blocks the
// start: every readable, valid, distinct entry is kept; the problems (an unreadable entry, an
// unknown exchange, a duplicate, a file that is not JSON or is a folder) are reported once,
// the original file is kept aside, and a cleaned file is written in its place.

import { readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { fsErrorCode, writeFileAtomic } from '../core/atomic-file.js';
import { formatIssues } from '../core/config.js';
import { getLogger } from '../core/logger.js';
import { DATA_TYPES } from '../core/types.js';
import { EXCHANGE_REGISTRY } from '../exchanges/registry.js';
import type { WatchlistEntry } from './frames.js';

const log = getLogger('host');

export type { WatchlistEntry } from './frames.js';

/** A first start watches every venue of the registry on its first default pair (BTC). */
export const DEFAULT_WATCHLIST: readonly WatchlistEntry[] = [...EXCHANGE_REGISTRY.values()].flatMap((venue) => {
  const symbol = venue.defaultPairs[0];
  return symbol === undefined ? [] : [{ exchange: venue.id, symbol, dataTypes: DATA_TYPES }];
});

const MAX_ENTRIES = 500;

const envelopeSchema = z.object({ version: z.literal(1), entries: z.array(z.unknown()) });
const entrySchema = z.object({
  exchange: z.string().min(1).max(32),
  symbol: z.string().min(1).max(64),
  dataTypes: z.array(z.enum(DATA_TYPES)).min(1).max(DATA_TYPES.length),
  source: z.literal('nats').optional(),
});

/** Checks one entry against the exchanges: its canonical id, or why it cannot be used. */
export type EntryCheck = (entry: WatchlistEntry) => { readonly id: string; readonly entry: WatchlistEntry } | { readonly problem: string };

export interface WatchlistLoad {
  readonly entries: WatchlistEntry[];
  /** What was wrong with the saved file, in words; empty when it was fine. */
  readonly problems: string[];
  /** Where the original file was kept when it had problems. */
  readonly keptAs: string | null;
}

export class WatchlistStore {
  readonly file: string;

  constructor(directory: string) {
    this.file = path.join(directory, 'watchlist.json');
  }

  /** The saved list (the default when there is none), cleaned of anything unusable. */
  async load(check: EntryCheck = (entry) => ({ id: `${entry.exchange}:${entry.symbol}`, entry })): Promise<WatchlistLoad> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      const code = fsErrorCode(error);
      if (code === 'ENOENT') return { entries: [...DEFAULT_WATCHLIST], problems: [], keptAs: null };
      const why = code === 'EISDIR' ? 'it is a folder, not a file' : `it cannot be read (${code ?? String(error)})`;
      return this.setAside([...DEFAULT_WATCHLIST], [`watchlist.json was not used: ${why}; the default list is used instead`]);
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (error) {
      return this.setAside([...DEFAULT_WATCHLIST], [`watchlist.json is not JSON (${(error as Error).message}); the default list is used instead`]);
    }
    const envelope = envelopeSchema.safeParse(raw);
    if (!envelope.success) {
      return this.setAside(
        [...DEFAULT_WATCHLIST],
        [`watchlist.json has an unknown layout (${formatIssues(envelope.error).join('; ')}); the default list is used instead`],
      );
    }
    const problems: string[] = [];
    const kept = new Map<string, WatchlistEntry>();
    envelope.data.entries.forEach((value, index) => {
      const where = `watchlist entry ${index + 1}`;
      const parsed = entrySchema.safeParse(value);
      if (!parsed.success) {
        problems.push(`${where} is unreadable (${formatIssues(parsed.error).join('; ')}) and was left out`);
        return;
      }
      const checked = check(parsed.data);
      if ('problem' in checked) {
        problems.push(`${where} (${parsed.data.exchange} ${parsed.data.symbol}) was left out: ${checked.problem}`);
      } else if (kept.has(checked.id)) {
        problems.push(`${where} (${checked.id}) repeats an earlier entry and was left out`);
      } else if (kept.size >= MAX_ENTRIES) {
        problems.push(`${where} was left out: at most ${MAX_ENTRIES} entries are kept`);
      } else {
        kept.set(checked.id, checked.entry);
      }
    });
    if (problems.length === 0) return { entries: [...kept.values()], problems, keptAs: null };
    return this.setAside([...kept.values()], problems);
  }

  /** Writes the list; given a function, the list is taken when the write runs (the latest state). */
  save(entries: readonly WatchlistEntry[] | (() => readonly WatchlistEntry[])): Promise<void> {
    return writeFileAtomic(this.file, () => `${JSON.stringify({ version: 1, entries: typeof entries === 'function' ? entries() : entries }, null, 2)}\n`);
  }

  /** Keeps the original file aside, writes the usable entries in its place, and says so once. */
  private async setAside(entries: WatchlistEntry[], problems: string[]): Promise<WatchlistLoad> {
    const aside = `${this.file}.damaged-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    let keptAs: string | null = aside;
    try {
      await rename(this.file, aside);
    } catch (error) {
      keptAs = null;
      problems.push(`the original watchlist.json could not be kept aside (${fsErrorCode(error) ?? String(error)})`);
    }
    if (keptAs !== null) problems.push(`the original file was kept as ${path.basename(aside)}`);
    for (const problem of problems) log.error({ file: this.file }, problem);
    try {
      await this.save(entries);
    } catch (error) {
      problems.push((error as Error).message);
      log.error({ file: this.file, err: (error as Error).message }, 'cleaned watchlist could not be saved');
    }
    return { entries, problems, keptAs };
  }
}
