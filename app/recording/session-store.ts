// SessionStore: the recorded sessions in `<dataDir>/sessions/`. Lists them (a session left in
// `recording` by a process that no longer runs is recovered as `incomplete`, its counts rebuilt
// from what reached the disk), renames, deletes, and measures disk use.

import { randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { updateFileAtomic, writeFileAtomic } from '../core/atomic-file.js';
import { formatIssues } from '../core/config.js';
import { getLogger } from '../core/logger.js';
import { sessionMetaSchema, type SessionMeta } from './format.js';
import { readRecords, segmentsOf, type ReadStats } from './reader.js';

const log = getLogger('recording');

export class SessionNotFoundError extends Error {
  constructor(id: string) {
    super(`No recorded session ${id}.`);
    this.name = 'SessionNotFoundError';
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class SessionStore {
  readonly root: string;

  /** `isActive(id)`: whether this process is recording that session right now. */
  constructor(
    dataDir: string,
    private readonly isActive: (id: string) => boolean = () => false,
  ) {
    this.root = path.join(dataDir, 'sessions');
  }

  dir(id: string): string {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) throw new SessionNotFoundError(id);
    return path.join(this.root, id);
  }

  /** A new, empty session folder with a fresh id (time-sortable). */
  async allocate(startedAt: number): Promise<{ id: string; dir: string }> {
    const stamp = new Date(startedAt).toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
    const id = `${stamp}-${randomBytes(3).toString('hex')}`;
    const dir = this.dir(id);
    await mkdir(dir, { recursive: true });
    return { id, dir };
  }

  /** Writes session.json atomically, after any other write to it (see app/core/atomic-file.ts). */
  async writeMeta(meta: SessionMeta): Promise<void> {
    await writeFileAtomic(this.metaFile(meta.id), `${JSON.stringify(meta, null, 2)}\n`);
  }

  private metaFile(id: string): string {
    return path.join(this.dir(id), 'session.json');
  }

  async get(id: string): Promise<SessionMeta> {
    let text: string;
    try {
      text = await readFile(path.join(this.dir(id), 'session.json'), 'utf8');
    } catch {
      throw new SessionNotFoundError(id);
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new Error(`session ${id} has a damaged session.json: it is not JSON`);
    }
    const parsed = sessionMetaSchema.safeParse(value);
    if (!parsed.success) throw new Error(`session ${id} has a damaged session.json: ${formatIssues(parsed.error).join('; ')}`);
    const meta = parsed.data as SessionMeta;
    if (meta.state === 'recording' && !this.isActive(id) && (meta.pid === process.pid || !processAlive(meta.pid))) {
      return this.recover(meta);
    }
    return meta;
  }

  /** Every session, newest first; damaged ones are logged and left out. */
  async list(): Promise<SessionMeta[]> {
    let names: string[];
    try {
      names = await readdir(this.root);
    } catch {
      return [];
    }
    const sessions: SessionMeta[] = [];
    for (const name of names.sort().reverse()) {
      try {
        sessions.push(await this.get(name));
      } catch (error) {
        log.warn({ session: name, err: (error as Error).message }, 'session skipped');
      }
    }
    return sessions;
  }

  /** Renames a session that is not being recorded; read and write are one step, so concurrent renames cannot interleave. */
  async rename(id: string, name: string): Promise<SessionMeta> {
    // No await before the update: concurrent renames queue in call order, the last one wins.
    return updateFileAtomic(this.metaFile(id), (current) => {
      if (current === undefined) throw new SessionNotFoundError(id);
      const parsed = sessionMetaSchema.safeParse(JSON.parse(current));
      if (!parsed.success) throw new Error(`session ${id} has a damaged session.json: ${formatIssues(parsed.error).join('; ')}`);
      const next = { ...(parsed.data as SessionMeta), name };
      return { content: `${JSON.stringify(next, null, 2)}\n`, result: next };
    });
  }

  async delete(id: string): Promise<void> {
    if (this.isActive(id)) throw new Error('This session is being recorded; stop the recording first.');
    await this.get(id);
    await rm(this.dir(id), { recursive: true, force: true });
  }

  /** Bytes used by all recorded sessions. */
  async usage(): Promise<number> {
    let total = 0;
    let names: string[];
    try {
      names = await readdir(this.root);
    } catch {
      return 0;
    }
    for (const name of names) {
      for (const file of await segmentsOf(path.join(this.root, name)).catch(() => [])) total += (await stat(file).catch(() => undefined))?.size ?? 0;
    }
    return total;
  }

  /** A crashed recording: rebuild its counts from the segments and mark it incomplete. */
  private async recover(meta: SessionMeta): Promise<SessionMeta> {
    const stats: ReadStats = { records: 0, torn: 0, bytes: 0 };
    let rawFrames = 0;
    let events = 0;
    let last = meta.startedAt;
    for await (const record of readRecords(this.dir(meta.id), stats)) {
      last = Math.max(last, record.t);
      if (record.k === 'raw') rawFrames += 1;
      else if (record.k === 'ev') events += 1;
    }
    const recovered: SessionMeta = {
      ...meta,
      state: 'incomplete',
      endedAt: last,
      counts: { ...meta.counts, records: stats.records, rawFrames, events, bytes: stats.bytes },
      tornLines: stats.torn,
    };
    await this.writeMeta(recovered);
    log.warn({ session: meta.id, records: stats.records, torn: stats.torn }, 'recording was interrupted; recovered what reached the disk');
    return recovered;
  }
}
