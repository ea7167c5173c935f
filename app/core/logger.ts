// The one logger of the application. `getLogger(name)` returns a named child of a single
// pino root that writes JSON lines to stderr and, once `enableFileLogging(dir)` is called,
// to a size- and day-rotated file in that directory as well.
// Level: TICKER_DECK_LOG_LEVEL (or LOG_LEVEL), default `info`.

import pino, { type Logger, type LevelWithSilent, type StreamEntry } from 'pino';
import pinoRoll from 'pino-roll';
import { once } from 'node:events';
import path from 'node:path';

export type { Logger } from 'pino';

const LEVELS: readonly LevelWithSilent[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function levelFromEnv(env: NodeJS.ProcessEnv = process.env): LevelWithSilent {
  const raw = (env['TICKER_DECK_LOG_LEVEL'] ?? env['LOG_LEVEL'] ?? 'info').toLowerCase();
  return (LEVELS as readonly string[]).includes(raw) ? (raw as LevelWithSilent) : 'info';
}

interface RootState {
  readonly logger: Logger;
  readonly streams: pino.MultiStreamRes<string>;
  fileStream: Awaited<ReturnType<typeof pinoRoll>> | undefined;
  fileDirectory: string | undefined;
}

let root: RootState | undefined;
/** Lines below this level stay out of the terminal (they still reach the log file). */
let consoleMinimum = 0;

/** stderr behind a threshold of its own, so a terminal can be quieter than the log file. */
const consoleStream = {
  write(line: string): void {
    const level = Number(/"level":(\d+)/.exec(line)?.[1] ?? Infinity);
    if (level >= consoleMinimum) process.stderr.write(line);
  },
};
const children = new Map<string, Logger>();

function getRoot(): RootState {
  if (root !== undefined) return root;
  const level = levelFromEnv();
  // Streams accept every level; the logger's own level is the one filter, so setLogLevel works.
  const streams = pino.multistream([{ level: 'trace', stream: consoleStream }], { dedupe: false });
  const logger = pino({ level, base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime }, streams);
  const created: RootState = { logger, streams, fileStream: undefined, fileDirectory: undefined };
  root = created;
  return created;
}

/** A named child logger (`exchanges`, `ws`, `collector`, `host` …). Cached per name. */
export function getLogger(name: string): Logger {
  let child = children.get(name);
  if (child === undefined) {
    child = getRoot().logger.child({ module: name });
    children.set(name, child);
  }
  return child;
}

export interface FileLoggingOptions {
  /** Rotate when a file reaches this size (pino-roll syntax, e.g. `10m`). */
  readonly maxSize?: string;
  /** Rotated files to keep besides the active one. */
  readonly keep?: number;
}

/**
 * Adds a rotating log file in `directory` (created if missing). Idempotent per directory.
 * Every existing and future child logger writes to it.
 */
export async function enableFileLogging(directory: string, options: FileLoggingOptions = {}): Promise<string> {
  const state = getRoot();
  const file = path.join(directory, 'ticker-deck.log');
  if (state.fileDirectory === directory) return file;
  if (state.fileStream !== undefined) throw new Error(`file logging already enabled in ${state.fileDirectory ?? ''}`);
  const stream = await pinoRoll({
    file,
    size: options.maxSize ?? '10m',
    frequency: 'daily',
    mkdir: true,
    limit: { count: options.keep ?? 5 },
  });
  // The file opens asynchronously; writing or flushing before that fails.
  if (stream.fd < 0) await once(stream, 'ready');
  const entry: StreamEntry = { level: 'trace', stream };
  state.streams.add(entry);
  state.fileStream = stream;
  state.fileDirectory = directory;
  return file;
}

/** Sets the level of the root and every child. */
export function setLogLevel(level: LevelWithSilent): void {
  const state = getRoot();
  state.logger.level = level;
  for (const child of children.values()) child.level = level;
}

/** Keeps the terminal to `level` and above; the log file is unaffected. */
export function setConsoleLevel(level: LevelWithSilent): void {
  consoleMinimum = level === 'silent' ? Infinity : pino.levels.values[level] ?? 0;
}

/** Flushes pending file output; call before exit. */
export function flushLogs(): void {
  root?.fileStream?.flushSync();
}
