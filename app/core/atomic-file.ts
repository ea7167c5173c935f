// Safe file writes for everything the app saves (watchlist, settings, session metadata,
// reports): one write at a time per file, each to a unique temporary name, synced, then
// renamed over the target, so a reader sees the old file or the new one, never half of one,
// and concurrent commands cannot interleave. A failed write removes its temporary file and
// throws a FileWriteError whose message a trader can act on ("the disk is full").

import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';

const REASONS: Readonly<Record<string, string>> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EROFS: 'the disk is read-only',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'a folder is in the way',
  ENOTDIR: 'a parent is not a folder',
  EMFILE: 'too many files are open',
  EIO: 'the disk reported an input/output error',
};

/** The system's error code of a failed file operation (`ENOSPC` …), if any. */
export function fsErrorCode(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** A file operation failed; `reason` is plain words (`the disk is full`). */
export class FileWriteError extends Error {
  readonly file: string;
  readonly code: string | undefined;
  readonly reason: string;

  constructor(file: string, error: unknown, what = 'save') {
    const code = fsErrorCode(error);
    const reason = (code === undefined ? undefined : REASONS[code]) ?? (error instanceof Error ? error.message : String(error));
    super(`Could not ${what} ${path.basename(file)}: ${reason}${code === undefined || REASONS[code] === undefined ? '' : ` (${code})`}.`, { cause: error });
    this.name = 'FileWriteError';
    this.file = file;
    this.code = code;
    this.reason = reason;
  }

  /** True when the disk has no room (full or over quota). */
  get diskFull(): boolean {
    return this.code === 'ENOSPC' || this.code === 'EDQUOT';
  }
}

/**
 * How files are opened for writing. Tests point these at /dev/full (a device on which every
 * write fails with a real ENOSPC from the kernel) to meet a full disk; nothing else changes them.
 */
export const fileOpeners = {
  /** A new temporary file (fails if it exists). */
  temporary: (file: string): Promise<FileHandle> => open(file, 'wx'),
  /** A file to append to (recording segments). */
  append: (file: string): Promise<FileHandle> => open(file, 'a'),
};

const queues = new Map<string, Promise<unknown>>();

/**
 * Runs `task` after every earlier task on the same file has finished (whatever their outcome).
 * Tasks on different files run concurrently.
 */
export function serializeOnFile<T>(file: string, task: () => Promise<T>): Promise<T> {
  const key = path.resolve(file);
  const previous = queues.get(key) ?? Promise.resolve();
  const run = previous.then(task, task);
  const settled = run.then(
    () => undefined,
    () => undefined,
  );
  queues.set(key, settled);
  void settled.then(() => {
    if (queues.get(key) === settled) queues.delete(key);
  });
  return run;
}

/** A unique temporary name next to `file` (same folder, so the rename is atomic). */
export function temporaryNameFor(file: string, tag = 'tmp'): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.${tag}`);
}

/** Content, or a function that gives it when the write runs (so the latest state is written). */
export type FileContent = string | Uint8Array | (() => string | Uint8Array);

async function writeNow(file: string, body: FileContent): Promise<void> {
  const content = typeof body === 'function' ? body() : body;
  await mkdir(path.dirname(file), { recursive: true }).catch((error: unknown) => {
    throw new FileWriteError(file, error);
  });
  const temporary = temporaryNameFor(file);
  let handle: FileHandle | undefined;
  try {
    handle = await fileOpeners.temporary(temporary);
    await handle.writeFile(content);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(temporary, file);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await rm(temporary, { force: true }).catch(() => undefined);
    throw new FileWriteError(file, error);
  }
}

/**
 * Replaces `file` with `content` atomically, after any write to it already under way. Given a
 * function, the content is taken when this write runs: the last write holds the latest state.
 */
export function writeFileAtomic(file: string, content: FileContent): Promise<void> {
  return serializeOnFile(file, () => writeNow(file, content));
}

/**
 * Read-modify-write as one step: no other write to `file` (through this module) runs between
 * the read and the write. `change` gets the current text (undefined when there is none) and
 * returns the new one.
 */
export function updateFileAtomic<T>(
  file: string,
  change: (current: string | undefined) => { content: string; result: T } | Promise<{ content: string; result: T }>,
): Promise<T> {
  return serializeOnFile(file, async () => {
    let current: string | undefined;
    try {
      current = await readFile(file, 'utf8');
    } catch (error) {
      if (fsErrorCode(error) !== 'ENOENT') throw new FileWriteError(file, error, 'read');
    }
    const { content, result } = await change(current);
    await writeNow(file, content);
    return result;
  });
}
