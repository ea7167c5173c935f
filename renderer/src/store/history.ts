// The heatmap's history of every watchlist symbol, outside React and zustand: fed by the frame
// pump once per display frame, read by the heatmap's drawing loop (zustand's "transient
// updates": data this frequent goes to a canvas, not through renders).

import { BookHistories } from '../lib/book-history';
import type { FrameBatch } from './frame-batch';
import { useSession } from './session';

export const histories = new BookHistories();

/** Adds what a display frame's batch brought. */
export function recordBatch(batch: FrameBatch): void {
  if (batch.books.size === 0 && batch.trades.size === 0) return;
  const items = useSession.getState().watchlist;
  for (const [id, book] of batch.books) {
    const grouped = book.grouping === null ? Number.NaN : Number(book.grouping);
    const tick = Number(items.find((w) => w.id === id)?.tickSize);
    const step = Number.isFinite(grouped) && grouped > 0 ? grouped : Number.isFinite(tick) && tick > 0 ? tick : 0;
    histories.addBook(book, batch.at, step);
  }
  for (const [id, trades] of batch.trades) histories.addTrades(id, trades);
}
