// Trades tape: newest first, buys green and sells red, prints of one taker order (same
// millisecond, same side) merged, and a minimum-size filter.

import { useMemo } from 'react';
import type { WatchlistItem } from '../../../main/contract';
import { decimalsIn, decimalsOf, formatCompact, formatFixed, tapeRows } from '../lib/format';
import { useMarket } from '../store/market';
import { useSession } from '../store/session';

const ROWS = 60;

const timeFormat = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit', fractionalSecondDigits: 3, hour12: false });

export function TradesTape({ item }: { item: WatchlistItem }) {
  const trades = useMarket((s) => s.trades[item.id]);
  const minSize = useSession((s) => s.minTradeSize);
  const setMinSize = useSession((s) => s.setMinTradeSize);
  const rows = useMemo(() => tapeRows(trades ?? [], minSize, ROWS), [trades, minSize]);
  const decimals = decimalsOf(item.tickSize, decimalsIn(rows[0]?.price ?? '0'));
  return (
    <section className="panel tape" aria-label="Trades">
      <header className="panel-head">
        <h2>Trades</h2>
        <label className="compact">
          Min size
          <input type="number" min="0" step="any" aria-label="Minimum trade size" value={minSize === 0 ? '' : minSize} placeholder="0" onChange={(e) => setMinSize(Number(e.target.value))} />
        </label>
      </header>
      <table className="tape-table" data-testid="tape">
        <thead>
          <tr><th className="num">Price</th><th className="num">Size</th><th className="num">Time</th></tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key} className={row.side === 'buy' ? 'bid' : 'ask'} data-side={row.side}>
              <td className="num">{formatFixed(Number(row.price), decimals)}</td>
              <td className="num">{formatCompact(row.size)}{row.prints > 1 && <span className="muted"> ×{row.prints}</span>}</td>
              <td className="num muted">{timeFormat.format(row.ts)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 && <p className="muted">No trades yet.</p>}
    </section>
  );
}
