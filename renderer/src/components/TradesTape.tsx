// Trades tape: newest first, buys green and sells red, prints of one taker order (same
// millisecond, same side) merged, a minimum-size filter over every kept trade, sizes with the
// instrument's lot decimals. When the trade stream is stopped, stale or replayed, the rows are
// greyed and the header says so with the age of the last trade. The panel also shows the
// asset's prints on every venue of the watchlist (AssetTape).

import { memo, useMemo } from 'react';
import { AssetTape } from './AssetTape';
import { AssetModeToggle, ThresholdInput } from './book-shared';
import { usePaneFixed } from './pane-context';
import type { WatchlistItem } from '../../../main/contract';
import { decimalsIn, decimalsOf, formatFixed, formatSize, sizeUnitLabel, streamFreshness, tapeRows, type TapeRow } from '../lib/format';
import { useHeight } from '../lib/hooks';
import { useHostNow, useMarket } from '../store/market';
import { useSession } from '../store/session';

const ROW_PX = 19;
const MAX_ROWS = 120;

const timeFormat = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit', fractionalSecondDigits: 3, hour12: false });

export function TradesTape({ item }: { item: WatchlistItem }) {
  const trades = useMarket((s) => s.trades[item.id]);
  const status = useMarket((s) => s.statuses[item.id]);
  const minSize = useSession((s) => s.minTradeSize);
  const setMinSize = useSession((s) => s.setMinTradeSize);
  // A replay is shown on its own: live venues' prints are never mixed into it.
  const chosen = useSession((s) => s.tapeMode);
  const fixed = usePaneFixed().tape;
  const mode = item.replayOf === undefined ? (fixed ?? chosen) : 'instrument';
  const setMode = useSession((s) => s.setTapeMode);
  const now = useHostNow();
  const [bodyRef, bodyHeight] = useHeight<HTMLDivElement>();
  // Only whole rows: the last one is never cut by the panel's edge.
  const fit = bodyHeight > 0 ? Math.max(1, Math.floor(bodyHeight / ROW_PX) - 1) : 30;
  const rows = useMemo(() => tapeRows(trades ?? [], minSize, Math.min(MAX_ROWS, fit)), [trades, minSize, fit]);
  const decimals = decimalsOf(item.tickSize, decimalsIn(rows[0]?.price ?? '0'));
  const fresh = item.replayOf !== undefined ? { live: false, label: `replay of ${item.replayOf}` } : streamFreshness(status, 'trade', now);
  const unit = sizeUnitLabel(item);
  return (
    <section className="panel tape" aria-label="Trades">
      <header className="panel-head">
        <h2>Trades</h2>
        {item.replayOf === undefined && fixed === undefined && (
          <AssetModeToggle item={item} name="Trades of" title="Every venue of the watchlist trading this asset" mode={mode} setMode={setMode} />
        )}
        {mode === 'instrument' && !fresh.live && fresh.label !== undefined && (
          <span className="stale-tag" data-testid="tape-state">
            {fresh.label}
          </span>
        )}
        {mode === 'instrument' && (
          <label className="compact">
            Min
            <ThresholdInput name="Minimum trade size" value={minSize} onChange={setMinSize} />
          </label>
        )}
      </header>
      {mode === 'asset' ? (
        <AssetTape item={item} />
      ) : (
        <div className="tape-body" ref={bodyRef}>
          <table className={fresh.live ? 'tape-table' : 'tape-table not-live'} data-testid="tape" data-live={fresh.live}>
            <thead>
              <tr>
                <th className="num">Price</th>
                <th className="num" title={unit.title}>
                  Size
                </th>
                <th className="num">Time</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <TapeLine key={row.key} row={row} decimals={decimals} lotSize={item.lotSize} />
              ))}
            </tbody>
          </table>
          {rows.length === 0 && <p className="muted">{minSize > 0 ? 'No trade this large yet.' : 'No trades yet.'}</p>}
        </div>
      )}
    </section>
  );
}

/** One row; drawn again only when its print grows (a row of the tape never changes otherwise). */
const TapeLine = memo(
  function TapeLine({ row, decimals, lotSize }: { row: TapeRow; decimals: number; lotSize: string | undefined }) {
    return (
      <tr className={row.side === 'buy' ? 'bid' : 'ask'} data-side={row.side}>
        <td className="num">{formatFixed(Number(row.price), decimals)}</td>
        <td className="num">
          {formatSize(row.size, lotSize)}
          {row.prints > 1 && <span className="muted"> ×{row.prints}</span>}
        </td>
        <td className="num muted">{timeFormat.format(row.ts)}</td>
      </tr>
    );
  },
  (a, b) =>
    a.decimals === b.decimals &&
    a.lotSize === b.lotSize &&
    a.row.key === b.row.key &&
    a.row.size === b.row.size &&
    a.row.prints === b.row.prints &&
    a.row.price === b.row.price &&
    a.row.side === b.row.side &&
    a.row.ts === b.row.ts,
);
