import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { enableFileLogging, flushLogs, formatLogLine, getLogger, levelFromEnv, setLogLevel } from '../../../app/core/logger.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('logger', () => {
  it('keeps the terminal quieter than the file when asked', async () => {
    const { setConsoleLevel } = await import('../../../app/core/logger.js');
    const written: string[] = [];
    const original = process.stderr.write.bind(process.stderr);
    process.stderr.write = (chunk: string) => {
      written.push(String(chunk));
      return true;
    };
    try {
      setLogLevel('info');
      setConsoleLevel('warn');
      getLogger('serve').info('routine');
      getLogger('serve').warn('attention');
      setConsoleLevel('info');
      getLogger('serve').info('routine again');
    } finally {
      process.stderr.write = original;
      setLogLevel('silent');
    }
    expect(written.map((line) => /^\d\d:\d\d:\d\d\.\d{3} (\w+) +serve: (.*)\n$/.exec(line)?.slice(1))).toEqual([
      ['WARN', 'attention'],
      ['INFO', 'routine again'],
    ]);
  });

  it('takes its level from the environment, defaulting to info', () => {
    expect(levelFromEnv({ TICKER_DECK_LOG_LEVEL: 'debug' })).toBe('debug');
    expect(levelFromEnv({ LOG_LEVEL: 'WARN' })).toBe('warn');
    expect(levelFromEnv({})).toBe('info');
    expect(levelFromEnv({ LOG_LEVEL: 'loud' })).toBe('info');
  });

  it('writes human-readable terminal lines: time, level, module, message, then the fields', () => {
    const line = JSON.stringify({
      level: 40,
      time: '2026-11-25T19:02:09.109Z',
      pid: 7,
      module: 'okx',
      msg: 'connection lost; reconnecting',
      attempt: 2,
      reason: 'closed by server',
      ok: true,
    });
    expect(formatLogLine(line)).toBe('19:02:09.109 WARN  okx: connection lost; reconnecting attempt=2 reason="closed by server" ok=true\n');
    expect(formatLogLine('not json\n')).toBe('not json\n');
  });

  it('returns one cached child per name', () => {
    expect(getLogger('exchanges')).toBe(getLogger('exchanges'));
    expect(getLogger('exchanges')).not.toBe(getLogger('ws'));
  });

  it('writes named JSON lines to a rotating file once file logging is on', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ticker-deck-log-'));
    dirs.push(dir);
    const early = getLogger('exchanges'); // made before the file existed: must still reach it
    await enableFileLogging(dir);
    setLogLevel('info');
    early.info({ exchange: 'okx', symbol: 'BTC-USDT' }, 'collector created');
    getLogger('ws').debug('too detailed for info');
    flushLogs();
    setLogLevel('silent');
    const files = await readdir(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^ticker-deck\.\d+\.log$/);
    const lines = (await readFile(path.join(dir, files[0] ?? ''), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ module: 'exchanges', exchange: 'okx', symbol: 'BTC-USDT', msg: 'collector created', level: 30 });
  });
});
