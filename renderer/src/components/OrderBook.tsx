// Order book ladder for the selected symbol: price, size, cumulative size and depth bars, the
// spread and mid between the sides, and price grouping by tick multiples. A book that is not
// valid is never shown as live: a stale one is greyed under a banner with its age, and a
// syncing, invalid or stopped one shows no levels, only what is being done about it. The panel
// also shows the asset's books on every venue merged (ConsolidatedBook).

import { memo, useEffect, useMemo } from 'react';
import { useClient } from '../api/context';
import { useHeight } from '../lib/hooks';
import type { WatchlistItem } from '../../../main/contract';
import { decimalsIn, decimalsOf, describeBook, formatFixed, formatSize, formatSpread, groupLevels, sizeUnitLabel, type LadderRow } from '../lib/format';
import { useHostNow, useMarket } from '../store/market';
import { useSession } from '../store/session';
import { BookModeToggle, GroupingSelect, ROW_PX, tickOf } from './book-shared';
import { ConsolidatedBook } from './ConsolidatedBook';
import { usePaneFixed } from './pane-context';

/** Rows per side when the panel's height is not known yet. */
const DEFAULT_ROWS = 16;

export function OrderBook({ item }: { item: WatchlistItem }) {
  const chosen = useSession((s) => s.bookMode);
  const mode = usePaneFixed().book ?? chosen;
  // A replay is shown on its own: live venues are never merged into it.
  return mode === 'asset' && item.replayOf === undefined ? <ConsolidatedBook item={item} /> : <InstrumentBook item={item} />;
}

function InstrumentBook({ item }: { item: WatchlistItem }) {
  const book = useMarket((s) => s.books[item.id]);
  const grouping = useSession((s) => s.grouping);
  const [bodyRef, bodyHeight] = useHeight<HTMLDivElement>();
  const now = useHostNow();
  const { live, label } = describeBook(book, now);
  const showLevels =
    book !== undefined && (book.state === 'valid' || ((book.state === 'stale' || book.state === 'stopped') && book.bids.length + book.asks.length > 0));
  // As many rows per side as the panel holds (header and spread rows take two, a stale banner two more).
  const rows = bodyHeight > 0 ? Math.max(5, Math.floor((bodyHeight / ROW_PX - (live ? 2 : 5)) / 2)) : DEFAULT_ROWS;
  const client = useClient();
  const tick = tickOf(item, book);
  const step = tick * grouping;
  const tickDecimals = decimalsOf(item.tickSize, decimalsIn(book?.bids[0]?.[0] ?? '0'));
  const decimals = Math.max(0, tickDecimals - Math.floor(Math.log10(grouping)));
  const stepText = grouping === 1 ? null : step.toFixed(decimals);
  // The host groups the whole book (every level, not only the top rows it sends) by this step.
  useEffect(() => {
    void client.call('setBookGrouping', { id: item.id, step: stepText });
    return () => {
      void client.call('setBookGrouping', { id: item.id, step: null });
    };
  }, [client, item.id, stepText]);
  const unit = sizeUnitLabel(item);
  const { bids, asks } = useMemo(
    () => ({
      bids: book === undefined ? [] : groupLevels(book.bids, 'bid', step, rows),
      asks: book === undefined ? [] : groupLevels(book.asks, 'ask', step, rows),
    }),
    [book, step, rows],
  );
  const maxTotal = Math.max(bids.at(-1)?.total ?? 0, asks.at(-1)?.total ?? 0, Number.MIN_VALUE);
  const bestBid = book?.bids[0] === undefined ? undefined : Number(book.bids[0][0]);
  const bestAsk = book?.asks[0] === undefined ? undefined : Number(book.asks[0][0]);
  return (
    <section className="panel order-book" aria-label="Order book">
      <header className="panel-head">
        <h2>{item.replayOf !== undefined && <span className="replay-tag">REPLAY</span>} Order book</h2>
        {item.replayOf === undefined && <BookModeToggle item={item} />}
        <GroupingSelect item={item} tick={tick} />
      </header>
      <div className="ladder-body" ref={bodyRef}>
        {!live && (
          <div className={showLevels ? 'book-stale' : 'book-not-live'} data-testid={showLevels ? 'book-stale' : 'book-not-live'} role="status">
            {label}
          </div>
        )}
        {showLevels && (
          <table className={live ? 'ladder' : 'ladder stale'} data-testid="ladder" data-state={book.state}>
            <thead>
              <tr>
                <th className="num">Price</th>
                <th className="num" title={unit.title}>
                  Size{unit.short === '' ? '' : ` (${unit.short})`}
                </th>
                <th className="num">Total</th>
              </tr>
            </thead>
            <tbody>
              {[...asks].reverse().map((row) => (
                <LadderLine key={`a${row.price}`} row={row} side="ask" decimals={decimals} lotSize={item.lotSize} bar={barOf(row.total, maxTotal)} />
              ))}
              <tr className="spread-row">
                <td colSpan={3} data-testid="spread">
                  {bestBid !== undefined && bestAsk !== undefined
                    ? `Spread ${formatSpread(bestBid, bestAsk, tickDecimals)} · Mid ${formatFixed((bestAsk + bestBid) / 2, tickDecimals + 1)}`
                    : '—'}
                  {book.crossed && <span className="warn"> · crossed</span>}
                </td>
              </tr>
              {bids.map((row) => (
                <LadderLine key={`b${row.price}`} row={row} side="bid" decimals={decimals} lotSize={item.lotSize} bar={barOf(row.total, maxTotal)} />
              ))}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}

/** One level; drawn again only when what it shows changes (most levels keep theirs from one frame to the next). */
const LadderLine = memo(
  function LadderLine({
    row,
    side,
    decimals,
    lotSize,
    bar,
  }: {
    row: LadderRow;
    side: 'bid' | 'ask';
    decimals: number;
    lotSize: string | undefined;
    bar: number;
  }) {
    return (
      <tr className={`level ${side}`} data-side={side}>
        <td className="num price">
          <span className="depth-bar" style={{ transform: `scaleX(${bar / 100})` }} />
          {formatFixed(row.price, decimals)}
        </td>
        <td className="num">{formatSize(row.size, lotSize)}</td>
        <td className="num muted">{formatSize(row.total, lotSize)}</td>
      </tr>
    );
  },
  (a, b) =>
    a.bar === b.bar &&
    a.decimals === b.decimals &&
    a.lotSize === b.lotSize &&
    a.side === b.side &&
    a.row.price === b.row.price &&
    a.row.size === b.row.size &&
    a.row.total === b.row.total,
);

/** The depth bar of a level: its running total against the deepest shown, in half percents (finer is not visible). */
function barOf(total: number, maxTotal: number): number {
  return Math.round(Math.min(100, (total / maxTotal) * 100) * 2) / 2;
}
