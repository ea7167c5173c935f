// Frames arrive up to 60 times a second; React should render at most once per display frame.
// Incoming frames are merged into one pending batch and applied to the store on the next
// animation frame. While the page is hidden the batch keeps merging (bounded) instead of
// queueing. Book deltas are applied as they arrive (see lib/book-delta.ts); one that does not
// fit the page's book asks the host for the whole book.

import type { HostClient } from '../api/client';
import { recordBatch } from './history';
import { emptyBatch, mergeFrame, useMarket } from './market';

export function startFramePump(client: HostClient): () => void {
  let pending = emptyBatch();
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    const batch = pending;
    pending = emptyBatch();
    useMarket.getState().apply(batch);
    recordBatch(batch);
  };
  // Books asked for again, until they arrive whole (one request each, however many deltas miss).
  const asked = new Set<string>();
  const holds = {
    held: (id: string) => useMarket.getState().books[id],
    heldTicker: (id: string) => useMarket.getState().tickers[id],
    heldStatus: (id: string) => useMarket.getState().statuses[id],
    lost: (id: string) => {
      if (asked.has(id)) return;
      asked.add(id);
      client.call('resyncSymbol', { id }).then(
        (result) => {
          // Refused (the book is gone) or not delivered: a later delta may ask again.
          if (!result.ok) asked.delete(id);
        },
        () => asked.delete(id),
      );
    },
  };
  const off = client.on('frame', (frame) => {
    // Whatever arrives whole answers the request (a symbol without a book has a ticker or status).
    for (const book of frame.books) if (!('base' in book)) asked.delete(book.id);
    for (const ticker of frame.tickers) if (!('changed' in ticker)) asked.delete(ticker.id);
    for (const status of frame.statuses ?? []) if (!('changed' in status)) asked.delete(status.id);
    mergeFrame(pending, frame, holds);
    if (!scheduled) {
      scheduled = true;
      requestAnimationFrame(flush);
    }
  });
  return off;
}
