import { mkdir, mkdtemp, open, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileWriteError, fileOpeners, updateFileAtomic, writeFileAtomic } from '../../../app/core/atomic-file.js';

let dir: string;
const originalTemporary = fileOpeners.temporary;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'ticker-deck-atomic-'));
});
afterEach(async () => {
  fileOpeners.temporary = originalTemporary;
  await rm(dir, { recursive: true, force: true });
});

describe('atomic, serialized file writes', () => {
  it('runs concurrent writes of one file one at a time; the file always parses and ends with the last', async () => {
    const file = path.join(dir, 'settings.json');
    let value = 0;
    const writes: Promise<void>[] = [];
    const reads: Promise<unknown>[] = [];
    for (let i = 1; i <= 20; i += 1) {
      value = i;
      writes.push(writeFileAtomic(file, () => JSON.stringify({ value, padding: 'x'.repeat(50_000) })));
      reads.push(
        readFile(file, 'utf8').then(
          (text) => JSON.parse(text) as unknown,
          (error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? null : Promise.reject(error)),
        ),
      );
    }
    await Promise.all([...writes, ...reads]);
    expect((JSON.parse(await readFile(file, 'utf8')) as { value: number }).value).toBe(20);
    expect(await readdir(dir)).toEqual(['settings.json']);
  });

  it('makes read-modify-write one step: twenty concurrent increments all count', async () => {
    const file = path.join(dir, 'counter.json');
    await Promise.all(
      Array.from({ length: 20 }, () =>
        updateFileAtomic(file, (current) => {
          const next = (current === undefined ? 0 : (JSON.parse(current) as number)) + 1;
          return { content: JSON.stringify(next), result: next };
        }),
      ),
    );
    expect(JSON.parse(await readFile(file, 'utf8'))).toBe(20);
  });

  it('on a full disk (a real ENOSPC from /dev/full) keeps the old file, leaves no temporary file and says why in words', async () => {
    const file = path.join(dir, 'watchlist.json');
    await writeFileAtomic(file, 'old');
    // The temporary file is created as usual, but its bytes go to the always-full device.
    fileOpeners.temporary = async (temporary) => {
      await (await open(temporary, 'wx')).close();
      return open('/dev/full', 'a');
    };
    const failure = await writeFileAtomic(file, 'new').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(FileWriteError);
    expect((failure as FileWriteError).message).toBe('Could not save watchlist.json: the disk is full (ENOSPC).');
    expect((failure as FileWriteError).diskFull).toBe(true);
    expect(await readFile(file, 'utf8')).toBe('old');
    expect(await readdir(dir)).toEqual(['watchlist.json']);
    // A later write still goes through once there is room again.
    fileOpeners.temporary = originalTemporary;
    await writeFileAtomic(file, 'newer');
    expect(await readFile(file, 'utf8')).toBe('newer');
  });

  it('removes the temporary file when the final rename fails (a folder in the way)', async () => {
    const file = path.join(dir, 'session.json');
    await mkdir(path.join(file, 'inside'), { recursive: true });
    const failure = await writeFileAtomic(file, '{}').catch((error: unknown) => error);
    expect((failure as FileWriteError).message).toMatch(/^Could not save session\.json: /);
    expect((await readdir(dir)).sort()).toEqual(['session.json']);
  });
});
