// The feed sink the book benches replay through: events are dropped, and anything that would
// break the book throws, so that a figure is never measured on a broken replay.

import type { FeedSink } from '../../app/exchanges/types.js';

export const quietSink = (): FeedSink => ({
  publish: () => undefined,
  problem: (error) => {
    throw error instanceof Error ? error : new Error(String(error));
  },
  bookBroken: (_kind, reason) => {
    throw new Error(`replay broke: ${reason}`);
  },
  awaitingSnapshot: () => undefined,
  sequenceReset: () => undefined,
  bookAlive: () => undefined,
});
