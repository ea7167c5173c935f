// What the instrument's ladder and the consolidated book share: the row height, the grouping
// choices, the tick, and the switch between them.

import type { ShownBook, WatchlistItem } from '../../../main/contract';
import { decimalsIn } from '../lib/format';
import { useSession } from '../store/session';

export const ROW_PX = 19;
export const GROUPINGS = [1, 2, 5, 10, 50, 100];

export function tickOf(item: WatchlistItem, book: ShownBook | undefined): number {
  const fromList = Number(item.tickSize);
  if (Number.isFinite(fromList) && fromList > 0) return fromList;
  const sample = book?.bids[0]?.[0] ?? book?.asks[0]?.[0];
  return sample === undefined ? 0.01 : 10 ** -decimalsIn(sample);
}

/** The selected instrument's book, or its asset's books on every venue merged. */
export function BookModeToggle({ item }: { item: WatchlistItem }) {
  const mode = useSession((s) => s.bookMode);
  const setMode = useSession((s) => s.setBookMode);
  return (
    <div className="segmented" role="group" aria-label="Book of">
      <button type="button" className={mode === 'instrument' ? 'active' : ''} aria-pressed={mode === 'instrument'} onClick={() => setMode('instrument')}>
        {item.venue}
      </button>
      <button
        type="button"
        className={mode === 'asset' ? 'active' : ''}
        aria-pressed={mode === 'asset'}
        title="Every venue of the watchlist trading this asset, merged"
        onClick={() => setMode('asset')}
      >
        All {item.base ?? 'venues'}
      </button>
    </div>
  );
}
