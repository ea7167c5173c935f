// A log file on a full disk (a real ENOSPC from /dev/full) must never end the process: file
// logging stops with one clear line, listeners hear why, and logging goes on to the terminal.
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { enableFileLogging, flushLogs, getLogger, logFilePath, onFileLoggingStopped, setLogLevel } from '../../../app/core/logger.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('logger on a full disk', () => {
  it('drops the log file, says so once, and keeps logging to the terminal', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ticker-deck-log-full-'));
    dirs.push(dir);
    // pino-roll writes ticker-deck.1.log; make it the kernel's always-full device.
    await symlink('/dev/full', path.join(dir, 'ticker-deck.1.log'));
    const written: string[] = [];
    const original = process.stderr.write.bind(process.stderr);
    process.stderr.write = (chunk: string) => {
      written.push(String(chunk));
      return true;
    };
    const heard: string[] = [];
    const off = onFileLoggingStopped((message) => heard.push(message));
    try {
      await enableFileLogging(dir);
      setLogLevel('info');
      const log = getLogger('recording');
      for (let i = 0; i < 50 && heard.length === 0; i += 1) {
        log.info({ i }, 'a line the disk cannot take');
        flushLogs();
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      expect(heard).toHaveLength(1);
      expect(heard[0]).toMatch(/^Logging to .*ticker-deck\.log stopped: the disk is full \(ENOSPC\)\. Logs go to the terminal only\.$/);
      expect(logFilePath()).toBeUndefined();
      log.warn('still heard on the terminal');
    } finally {
      process.stderr.write = original;
      setLogLevel('silent');
      off();
    }
    expect(written.filter((line) => line.includes('stopped: the disk is full'))).toHaveLength(1);
    expect(written.at(-1)).toMatch(/WARN {2}recording: still heard on the terminal\n$/);
  });
});
