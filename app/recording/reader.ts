// Reads a session's records in order, segment after segment, a chunk at a time: each chunk's
// complete lines are decoded into one string and split there, so a record costs its parsed
// value and little else, and memory stays flat whatever the session's size. Lines that do not
// parse — a write torn by a crash — are skipped and counted, as is a line longer than
// MAX_LINE_BYTES (no recorder writes one; it is skipped rather than buffered without bound).

import { open, readdir } from 'node:fs/promises';
import path from 'node:path';
import { SEGMENT_PREFIX, decodeLine, type RecordLine } from './format.js';

export interface ReadStats {
  records: number;
  torn: number;
  bytes: number;
}

const CHUNK_BYTES = 64 * 1024;
export const MAX_LINE_BYTES = 64 * 1024 * 1024;
const NEWLINE = 0x0a;

export async function segmentsOf(directory: string): Promise<string[]> {
  const names = await readdir(directory);
  return names
    .filter((n) => n.startsWith(SEGMENT_PREFIX) && n.endsWith('.jsonl'))
    .sort()
    .map((n) => path.join(directory, n));
}

/**
 * The complete lines of `file`, a chunk's worth at a time (empty lines included). `stats.bytes`
 * counts what was read; an over-long line counts as torn.
 */
export async function* lineBatches(file: string, stats: ReadStats, maxLine = MAX_LINE_BYTES): AsyncGenerator<string[]> {
  const handle = await open(file, 'r');
  try {
    let buffer = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, maxLine));
    // Bytes of an unfinished line at the buffer's start, and whether the line being read is
    // one too long to keep (its bytes are dropped until its newline).
    let held = 0;
    let skipping = false;
    for (;;) {
      if (held === buffer.length) {
        if (buffer.length >= maxLine) {
          if (!skipping) stats.torn += 1;
          skipping = true;
          held = 0;
        } else {
          const larger = Buffer.allocUnsafe(Math.min(buffer.length * 2, maxLine));
          buffer.copy(larger, 0, 0, held);
          buffer = larger;
        }
      }
      const { bytesRead } = await handle.read(buffer, held, buffer.length - held, null);
      stats.bytes += bytesRead;
      if (bytesRead === 0) {
        // The last line had no newline: a write cut short, or a file written by hand.
        if (held > 0 && !skipping) yield [buffer.toString('utf8', 0, held)];
        return;
      }
      const end = held + bytesRead;
      const lastNewline = buffer.lastIndexOf(NEWLINE, end - 1);
      if (lastNewline < held) {
        held = end;
        continue;
      }
      const lines = buffer.toString('utf8', 0, lastNewline).split('\n');
      if (skipping) {
        lines.shift();
        skipping = false;
      }
      buffer.copy(buffer, 0, lastNewline + 1, end);
      held = end - lastNewline - 1;
      if (lines.length > 0) yield lines;
    }
  } finally {
    await handle.close();
  }
}

/** Every valid record of the session in `directory`, oldest first, a chunk's worth at a time. */
export async function* recordBatches(directory: string, stats: ReadStats = { records: 0, torn: 0, bytes: 0 }): AsyncGenerator<RecordLine[]> {
  for (const file of await segmentsOf(directory)) {
    for await (const lines of lineBatches(file, stats)) {
      const records: RecordLine[] = [];
      for (const line of lines) {
        if (line === '') continue;
        const record = decodeLine(line);
        if (record === undefined) stats.torn += 1;
        else records.push(record);
      }
      stats.records += records.length;
      if (records.length > 0) yield records;
    }
  }
}

/** Every valid record of the session in `directory`, oldest first. `stats` is filled as it goes. */
export async function* readRecords(directory: string, stats: ReadStats = { records: 0, torn: 0, bytes: 0 }): AsyncGenerator<RecordLine> {
  for await (const batch of recordBatches(directory, stats)) yield* batch;
}
