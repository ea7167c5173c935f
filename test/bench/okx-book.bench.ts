// Book-engine throughput on the real 2022 OKX capture, replayed at maximum speed through the
// same path the collector uses (JSON decode + zod validation + OkxBookSync), with and without
// checksum verification, plus the engine alone on pre-parsed messages. Prints figures only.

import { OkxBookSync } from '../../app/exchanges/okx/book-sync.js';
import type { OkxBookData } from '../../app/exchanges/okx/messages.js';
import { decodeFrame, parseBookData } from '../../app/exchanges/okx/parser.js';
import { readCapture } from '../sim/okx/capture.js';

interface BookFrame {
  readonly instId: string;
  readonly action: 'snapshot' | 'update';
  readonly text: string;
  readonly data: OkxBookData;
}

function loadFrames(): BookFrame[] {
  const frames: BookFrame[] = [];
  for (const frame of readCapture()) {
    if (!frame.payload.includes('"channel":"books"') || frame.payload.includes('"event"')) continue;
    const decoded = decodeFrame(frame.payload);
    if (decoded.kind !== 'push') continue;
    frames.push({ instId: decoded.push.arg.instId ?? '', action: decoded.push.action ?? 'update', text: frame.payload, data: parseBookData(decoded.push) });
  }
  return frames;
}

function run(
  frames: BookFrame[],
  seconds: number,
  step: (syncs: Map<string, OkxBookSync>, frame: BookFrame) => void,
  verify: boolean,
): { rate: number; messages: number } {
  const started = performance.now();
  let messages = 0;
  // Every pass starts with each instrument's snapshot, so looping the capture is consistent.
  while (performance.now() - started < seconds * 1000) {
    const syncs = new Map<string, OkxBookSync>();
    for (const frame of frames) {
      if (!syncs.has(frame.instId)) syncs.set(frame.instId, new OkxBookSync({ verifyChecksum: verify }));
      step(syncs, frame);
      messages += 1;
    }
  }
  return { rate: messages / ((performance.now() - started) / 1000), messages };
}

export function benchOkxBook(seconds = 2): string[] {
  const frames = loadFrames();
  const fullPath = (syncs: Map<string, OkxBookSync>, frame: BookFrame): void => {
    const decoded = decodeFrame(frame.text);
    if (decoded.kind !== 'push') return;
    const result = syncs.get(frame.instId)?.onMessage(frame.action, parseBookData(decoded.push));
    if (result !== undefined && result.type !== 'snapshot' && result.type !== 'update') throw new Error(`replay broke: ${result.type}`);
  };
  const engineOnly = (syncs: Map<string, OkxBookSync>, frame: BookFrame): void => {
    // Levels are arrays the sync only reads, so the same parsed data can be applied again.
    syncs.get(frame.instId)?.onMessage(frame.action, frame.data);
  };
  run(frames, 0.3, fullPath, true); // warm-up
  const withChecksum = run(frames, seconds, fullPath, true);
  const withoutChecksum = run(frames, seconds, fullPath, false);
  const engineWith = run(frames, seconds, engineOnly, true);
  const engineWithout = run(frames, seconds, engineOnly, false);
  const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
  return [
    `OKX 2022 capture: ${frames.length} book messages (3 instruments, 400-level snapshots)`,
    `  decode + validate + apply, checksum verified : ${fmt(withChecksum.rate)} updates/s`,
    `  decode + validate + apply, no checksum       : ${fmt(withoutChecksum.rate)} updates/s  (checksum costs ${((1 - withChecksum.rate / withoutChecksum.rate) * 100).toFixed(0)} %)`,
    `  book engine only, checksum verified          : ${fmt(engineWith.rate)} updates/s`,
    `  book engine only, no checksum                : ${fmt(engineWithout.rate)} updates/s`,
  ];
}
