// What the panels' instrument and cross-venue views share: the row height, the grouping choice,
// the tick, the switch between the views, and threshold inputs.

import type { ShownBook, WatchlistItem } from '../../../main/contract';
import { decimalsIn, decimalsOf, formatFixed } from '../lib/format';
import { useSession } from '../store/session';
import { usePaneFixed } from './pane-context';

export const ROW_PX = 19;
export const GROUPINGS = [1, 2, 5, 10, 50, 100];

export function tickOf(item: WatchlistItem, book: ShownBook | undefined): number {
  const fromList = Number(item.tickSize);
  if (Number.isFinite(fromList) && fromList > 0) return fromList;
  const sample = book?.bids[0]?.[0] ?? book?.asks[0]?.[0];
  return sample === undefined ? 0.01 : 10 ** -decimalsIn(sample);
}

/** A panel's switch between the selected instrument and its asset on every venue of the watchlist. */
export function AssetModeToggle({
  item,
  name,
  title,
  mode,
  setMode,
}: {
  item: WatchlistItem;
  /** The group's accessible name (`Book of`, `Trades of`). */
  name: string;
  title: string;
  mode: 'instrument' | 'asset';
  setMode: (mode: 'instrument' | 'asset') => void;
}) {
  return (
    <div className="segmented" role="group" aria-label={name}>
      <button type="button" className={mode === 'instrument' ? 'active' : ''} aria-pressed={mode === 'instrument'} onClick={() => setMode('instrument')}>
        {item.venue}
      </button>
      <button type="button" className={mode === 'asset' ? 'active' : ''} aria-pressed={mode === 'asset'} title={title} onClick={() => setMode('asset')}>
        All {item.base ?? 'venues'}
      </button>
    </div>
  );
}

/** The selected instrument's book, or its asset's books on every venue merged. */
export function BookModeToggle({ item }: { item: WatchlistItem }) {
  const mode = useSession((s) => s.bookMode);
  const setMode = useSession((s) => s.setBookMode);
  // A pane made for one of the two has no switch.
  if (usePaneFixed().book !== undefined) return null;
  return <AssetModeToggle item={item} name="Book of" title="Every venue of the watchlist trading this asset, merged" mode={mode} setMode={setMode} />;
}

/** The chart slot's switch: candles or the liquidity heatmap. */
export function ChartViewToggle() {
  const view = useSession((s) => s.chartView);
  const setView = useSession((s) => s.setChartView);
  if (usePaneFixed().chart !== undefined) return null;
  return (
    <div className="segmented" role="group" aria-label="Chart">
      {(['candles', 'heatmap'] as const).map((v) => (
        <button key={v} type="button" className={view === v ? 'active' : ''} aria-pressed={view === v} onClick={() => setView(v)}>
          {v === 'candles' ? 'Candles' : 'Heatmap'}
        </button>
      ))}
    </div>
  );
}

/** The ladder's price step, as multiples of the instrument's tick. */
export function GroupingSelect({ item, tick }: { item: WatchlistItem; tick: number }) {
  const grouping = useSession((s) => s.grouping);
  const setGrouping = useSession((s) => s.setGrouping);
  return (
    <label className="compact">
      Group
      <select aria-label="Price grouping" value={grouping} onChange={(e) => setGrouping(Number(e.target.value))}>
        {GROUPINGS.map((g) => (
          <option key={g} value={g}>
            {formatFixed(tick * g, decimalsOf(item.tickSize, 2))}
          </option>
        ))}
      </select>
    </label>
  );
}

/** A threshold typed by the trader: empty means none (0). */
export function ThresholdInput({ name, value, onChange }: { name: string; value: number; onChange: (value: number) => void }) {
  return (
    <input
      type="number"
      min="0"
      step="any"
      aria-label={name}
      value={value === 0 ? '' : value}
      placeholder="0"
      onChange={(e) => onChange(Number(e.target.value))}
    />
  );
}
