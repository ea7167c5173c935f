// Book frames arrive whole or as the levels that changed since the version this page holds
// (see BookFrame in app/host/frames.ts). A delta is applied to that version only; a page whose
// book is at another version (it missed a frame, or never had the book) cannot apply it and
// asks for the whole book again.

import type { BookFrame, LevelTuple } from '../../../main/contract.js';

function applySide(levels: readonly LevelTuple[], changes: readonly LevelTuple[], bids: boolean): readonly LevelTuple[] {
  if (changes.length === 0) return levels;
  const byPrice = new Map<string, string>();
  for (const [price, size] of levels) byPrice.set(price, size);
  for (const [price, size] of changes) {
    if (size === '0') byPrice.delete(price);
    else byPrice.set(price, size);
  }
  const out: [string, string, number][] = [];
  for (const [price, size] of byPrice) out.push([price, size, Number(price)]);
  out.sort(bids ? (a, b) => b[2] - a[2] : (a, b) => a[2] - b[2]);
  return out.map(([price, size]) => [price, size] as const);
}

/** The whole book after `frame`, or undefined when `frame` is a delta to a version `held` is not. */
export function applyBookFrame(held: BookFrame | undefined, frame: BookFrame): BookFrame | undefined {
  if (frame.kind === 'full') return frame;
  if (held?.version !== frame.base) return undefined;
  return { ...frame, kind: 'full', base: null, bids: applySide(held.bids, frame.bids, true), asks: applySide(held.asks, frame.asks, false) };
}
