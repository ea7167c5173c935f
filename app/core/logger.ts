// The one logger of the application. `getLogger(name)` returns a named child of a single
// pino root. The terminal gets human-readable lines (`19:02:09.109 WARN  okx: message key=value`;
// TICKER_DECK_LOG_FORMAT=json keeps JSON); once `enableFileLogging(dir)` is called, a size- and
// day-rotated file gets JSON lines. A log file that fails (a full disk) is dropped with one
// line on the terminal, listeners are told, and logging goes on to the terminal only.
// Level: TICKER_DECK_LOG_LEVEL (or LOG_LEVEL), default `info`.

import pino, { type Logger, type LevelWithSilent, type StreamEntry } from 'pino';
import pinoRoll from 'pino-roll';
import { once } from 'node:events';
import path from 'node:path';

export type { Logger } from 'pino';

const LEVELS: readonly LevelWithSilent[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const LEVEL_NAMES: Readonly<Record<number, string>> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO ', 40: 'WARN ', 50: 'ERROR', 60: 'FATAL' };

export function levelFromEnv(env: NodeJS.ProcessEnv = process.env): LevelWithSilent {
  const raw = (env['TICKER_DECK_LOG_LEVEL'] ?? env['LOG_LEVEL'] ?? 'info').toLowerCase();
  return (LEVELS as readonly string[]).includes(raw) ? (raw as LevelWithSilent) : 'info';
}

type FileStream = Awaited<ReturnType<typeof pinoRoll>>;

interface RootState {
  readonly logger: Logger;
  readonly streams: pino.MultiStreamRes<string>;
  file: { readonly stream: FileStream; readonly id: number; readonly directory: string; readonly path: string } | undefined;
}

let root: RootState | undefined;
/** Lines below this level stay out of the terminal (they still reach the log file). */
let consoleMinimum = 0;
let consoleJson = (process.env['TICKER_DECK_LOG_FORMAT'] ?? '').toLowerCase() === 'json';
const fileStopListeners = new Set<(message: string) => void>();

const HIDDEN_KEYS = new Set(['level', 'time', 'pid', 'module', 'msg', 'hostname']);

/** One pino JSON line as a terminal line: time, level, module, message, then the other fields. */
export function formatLogLine(line: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const time = typeof record['time'] === 'string' ? record['time'].slice(11, 23) : '';
  const level = LEVEL_NAMES[Number(record['level'])] ?? 'LOG  ';
  const module = typeof record['module'] === 'string' ? `${record['module']}: ` : '';
  const fields = Object.entries(record)
    .filter(([key]) => !HIDDEN_KEYS.has(key))
    .map(([key, value]) => `${key}=${typeof value === 'string' ? (/\s/.test(value) ? JSON.stringify(value) : value) : JSON.stringify(value)}`);
  const message = typeof record['msg'] === 'string' ? record['msg'] : '';
  return `${time} ${level} ${module}${message}${fields.length > 0 ? ` ${fields.join(' ')}` : ''}\n`;
}

/** stderr behind a threshold of its own, so a terminal can be quieter than the log file. */
const consoleStream = {
  write(line: string): void {
    const level = Number(/"level":(\d+)/.exec(line)?.[1] ?? Infinity);
    if (level >= consoleMinimum) process.stderr.write(consoleJson ? line : formatLogLine(line));
  },
};
const children = new Map<string, Logger>();

function getRoot(): RootState {
  if (root !== undefined) return root;
  const level = levelFromEnv();
  // Streams accept every level; the logger's own level is the one filter, so setLogLevel works.
  const streams = pino.multistream([{ level: 'trace', stream: consoleStream }], { dedupe: false });
  const logger = pino({ level, base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime }, streams);
  const created: RootState = { logger, streams, file: undefined };
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
 * Every existing and future child logger writes to it. When the file cannot be opened the
 * error is thrown (the caller decides); when a write fails later, file logging stops.
 */
export async function enableFileLogging(directory: string, options: FileLoggingOptions = {}): Promise<string> {
  const state = getRoot();
  const file = path.join(directory, 'ticker-deck.log');
  if (state.file?.directory === directory) return file;
  if (state.file !== undefined) throw new Error(`file logging already enabled in ${state.file.directory}`);
  const stream = await pinoRoll({
    file,
    size: options.maxSize ?? '10m',
    frequency: 'daily',
    mkdir: true,
    limit: { count: options.keep ?? 5 },
  });
  // Any write error (ENOSPC, EIO …) must never end the process: the file is given up instead.
  stream.on('error', (error: Error) => stopFileLogging(stream, error));
  // The file opens asynchronously; writing or flushing before that fails.
  if (stream.fd < 0) await Promise.race([once(stream, 'ready'), once(stream, 'error')]);
  if (state.file === undefined && stream.destroyed) throw new Error(`could not open the log file in ${directory}`);
  const entry: StreamEntry = { level: 'trace', stream };
  // pino numbers its streams; the newest one's id is `lastId` (used to remove it on failure).
  const streams = state.streams.add(entry) as pino.MultiStreamRes<string> & { readonly lastId: number };
  state.file = { stream, id: streams.lastId, directory, path: file };
  return file;
}

/** Called once with a message when the log file is given up (e.g. the disk is full). */
export function onFileLoggingStopped(listener: (message: string) => void): () => void {
  fileStopListeners.add(listener);
  return () => fileStopListeners.delete(listener);
}

function stopFileLogging(stream: FileStream, error: Error): void {
  const state = root;
  if (state === undefined || state.file?.stream !== stream) return;
  const { id, path: file } = state.file;
  state.file = undefined;
  state.streams.remove(id);
  stream.removeAllListeners('error');
  stream.on('error', () => undefined);
  stream.destroy();
  const code = (error as NodeJS.ErrnoException).code;
  const reason = code === 'ENOSPC' ? 'the disk is full (ENOSPC)' : code === undefined ? error.message : `${error.message}`;
  const message = `Logging to ${file} stopped: ${reason}. Logs go to the terminal only.`;
  process.stderr.write(
    consoleJson
      ? `${JSON.stringify({ level: 50, time: new Date().toISOString(), module: 'logger', msg: message })}\n`
      : `${new Date().toISOString().slice(11, 23)} ERROR logger: ${message}\n`,
  );
  for (const listener of fileStopListeners) {
    try {
      listener(message);
    } catch {
      // A listener's failure must not stop the others.
    }
  }
}

/** The log file in use, if any. */
export function logFilePath(): string | undefined {
  return root?.file?.path;
}

/** Sets the level of the root and every child. */
export function setLogLevel(level: LevelWithSilent): void {
  const state = getRoot();
  state.logger.level = level;
  for (const child of children.values()) child.level = level;
}

/** Keeps the terminal to `level` and above; the log file is unaffected. */
export function setConsoleLevel(level: LevelWithSilent): void {
  consoleMinimum = level === 'silent' ? Infinity : (pino.levels.values[level] ?? 0);
}

/** `pretty` (default): human-readable terminal lines; `json`: pino's JSON lines. */
export function setConsoleFormat(format: 'pretty' | 'json'): void {
  consoleJson = format === 'json';
}

/** Flushes pending file output; call before exit. Never throws. */
export function flushLogs(): void {
  try {
    root?.file?.stream.flushSync();
  } catch {
    // Nothing more can be done about a log file that cannot be written.
  }
}
