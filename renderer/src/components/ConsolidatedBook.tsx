// Consolidated book: the selected asset's books on every venue of the watchlist merged into one
// ladder grouped by the chosen step, each level's size split by venue in the venues' colours,
// sizes in the base asset. Quotes (USD, USDT, USDC) stay apart unless the trader merges them;
// a venue whose book is not valid is left out and named, and a level deeper than some venue's
// book reaches is drawn muted and names the venues whose size there is unknown.

import { useEffect, useMemo } from 'react';
import { useClient } from '../api/context';
import type { WatchlistItem } from '../../../main/contract';
import { instrumentsOf } from '../lib/asset-flow';
import { consolidate, type ConsolidatedRow } from '../lib/consolidated-book';
import { decimalsOf, formatFixed } from '../lib/format';
import { useHeight } from '../lib/hooks';
import { useHostNow, useMarket } from '../store/market';
import { useSession } from '../store/session';
import { BookModeToggle, GroupingSelect, ROW_PX, tickOf } from './book-shared';

export function ConsolidatedBook({ item }: { item: WatchlistItem }) {
  const watchlist = useSession((s) => s.watchlist);
  const grouping = useSession((s) => s.grouping);
  const mergeQuotes = useSession((s) => s.mergeQuotes);
  const setMergeQuotes = useSession((s) => s.setMergeQuotes);
  const books = useMarket((s) => s.books);
  const now = useHostNow();
  const client = useClient();
  const [bodyRef, bodyHeight] = useHeight<HTMLDivElement>();
  const base = item.base;
  const instruments = useMemo(() => (base === undefined ? [] : instrumentsOf(watchlist, base)), [watchlist, base]);
  const tick = tickOf(item, books[item.id]);
  const step = tick * grouping;
  const decimals = Math.max(0, decimalsOf(item.tickSize, 2) - Math.floor(Math.log10(grouping)));
  const stepText = step.toFixed(Math.max(decimals, decimalsOf(item.tickSize, 2)));
  const ids = instruments.map((i) => i.id).join('\n');
  // Every venue's whole book grouped by the same step on the host: complete buckets to merge.
  useEffect(() => {
    const list = ids === '' ? [] : ids.split('\n');
    for (const id of list) void client.call('setBookGrouping', { id, step: stepText });
    return () => {
      for (const id of list) void client.call('setBookGrouping', { id, step: null });
    };
  }, [client, ids, stepText]);
  const rows = bodyHeight > 0 ? Math.max(5, Math.floor((bodyHeight / ROW_PX - 3) / 2)) : 16;
  const merged = useMemo(
    () =>
      consolidate(
        instruments.map((i) => ({ item: i, book: books[i.id] })),
        mergeQuotes ? null : (item.quote ?? null),
        step,
        rows,
        now,
      ),
    [instruments, books, mergeQuotes, item.quote, step, rows, now],
  );
  const maxTotal = Math.max(merged.bids.at(-1)?.total ?? 0, merged.asks.at(-1)?.total ?? 0, Number.MIN_VALUE);
  const bestBid = merged.bids[0]?.price;
  const bestAsk = merged.asks[0]?.price;
  return (
    <section className="panel order-book" aria-label="Order book">
      <header className="panel-head">
        <h2>Order book</h2>
        <BookModeToggle item={item} />
        <GroupingSelect item={item} tick={tick} />
        <label className="compact merge-quotes">
          <input type="checkbox" checked={mergeQuotes} onChange={(e) => setMergeQuotes(e.target.checked)} />
          Merge quotes
        </label>
      </header>
      <div className="consolidated-venues" data-testid="consolidated-venues">
        {merged.included.map((i) => (
          <span key={i.id} className={`venue-chip venue-${i.exchange}`} title={i.label} data-included={i.id}>
            {i.venue}
            {i.kind === 'spot' || i.kind === undefined ? '' : ' perp'}
          </span>
        ))}
        {merged.left.map(({ item: i, reason }) => (
          <span key={i.id} className={`venue-chip venue-${i.exchange} left-out`} title={`${i.label}: ${reason}`} data-left={i.id}>
            {i.venue} left out: {reason}
          </span>
        ))}
      </div>
      <div className="ladder-body" ref={bodyRef}>
        {merged.included.length === 0 ? (
          <div className="book-not-live" data-testid="consolidated-empty" role="status">
            No valid book of {base ?? item.label} {mergeQuotes ? '' : `in ${item.quote ?? '?'} `}to merge yet.
          </div>
        ) : (
          <table className="ladder consolidated" data-testid="consolidated-ladder">
            <thead>
              <tr>
                <th className="num">Price</th>
                <th className="num">Size ({base})</th>
                <th className="num">Total</th>
              </tr>
            </thead>
            <tbody>
              {[...merged.asks].reverse().map((row) => (
                <MergedLine key={`a${row.price}`} row={row} side="ask" decimals={decimals} maxTotal={maxTotal} />
              ))}
              <tr className="spread-row">
                <td colSpan={3} data-testid="consolidated-spread">
                  {bestBid !== undefined && bestAsk !== undefined ? `Spread ${formatFixed(bestAsk - bestBid, decimals)} across venues` : '—'}
                  {bestBid !== undefined && bestAsk !== undefined && bestBid >= bestAsk && (
                    <span className="warn" data-testid="consolidated-crossed">
                      {' '}
                      · crossed: one venue bids above another’s ask
                    </span>
                  )}
                </td>
              </tr>
              {merged.bids.map((row) => (
                <MergedLine key={`b${row.price}`} row={row} side="bid" decimals={decimals} maxTotal={maxTotal} />
              ))}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}

function MergedLine({ row, side, decimals, maxTotal }: { row: ConsolidatedRow; side: 'bid' | 'ask'; decimals: number; maxTotal: number }) {
  const title =
    row.parts
      .filter((p) => p.size > 0)
      .map((p) => `${p.venue} ${formatFixed(p.size, 4)}`)
      .join(' · ') + (row.beyond.length === 0 ? '' : ` — not known this deep: ${row.beyond.join(', ')}`);
  return (
    <tr
      className={`level ${side}${row.beyond.length === 0 ? '' : ' beyond'}`}
      data-side={side}
      data-price={row.price}
      data-beyond={row.beyond.join(',')}
      title={title}
    >
      <td className="num price">
        <span className="depth-bar" style={{ transform: `scaleX(${Math.min(1, row.total / maxTotal)})` }} />
        {formatFixed(row.price, decimals)}
      </td>
      <td className="num venue-split-cell">
        <span className="venue-split" aria-hidden="true">
          {row.parts.map((p) =>
            p.size > 0 ? <span key={p.id} className={`venue-${p.exchange}`} style={{ flexGrow: p.size }} data-venue={p.exchange} data-size={p.size} /> : null,
          )}
        </span>
        {formatFixed(row.size, 4)}
      </td>
      <td className="num muted">{formatFixed(row.total, 4)}</td>
    </tr>
  );
}
