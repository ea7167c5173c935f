// Reads a session's records in order, segment after segment, line by line (memory stays
// flat whatever the size). Lines that do not parse — a write torn by a crash — are skipped and
// counted.

import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { SEGMENT_PREFIX, decodeLine, type RecordLine } from './format.js';

export interface ReadStats {
  records: number;
  torn: number;
  bytes: number;
}

export async function segmentsOf(directory: string): Promise<string[]> {
  const names = await readdir(directory);
  return names
    .filter((n) => n.startsWith(SEGMENT_PREFIX) && n.endsWith('.jsonl'))
    .sort()
    .map((n) => path.join(directory, n));
}

/** Every valid record of the session in `directory`, oldest first. `stats` is filled as it goes. */
export async function* readRecords(directory: string, stats: ReadStats = { records: 0, torn: 0, bytes: 0 }): AsyncGenerator<RecordLine> {
  for (const file of await segmentsOf(directory)) {
    const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
    for await (const line of lines) {
      stats.bytes += Buffer.byteLength(line) + 1;
      if (line === '') continue;
      const record = decodeLine(line);
      if (record === undefined) {
        stats.torn += 1;
        continue;
      }
      stats.records += 1;
      yield record;
    }
  }
}
