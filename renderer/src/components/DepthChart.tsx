// Depth chart: cumulative bid and ask size against price, stepped, redrawn twice a second at
// most (a chart of the book's shape does not need 60 updates a second; the ladder has them,
// and each redraw of the chart costs a few milliseconds of the page's frame budget). A stale book is
// drawn greyed and labelled with its age; a book that is not valid otherwise is not drawn.

import { memo, useCallback, useMemo } from 'react';
import { Area, AreaChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ShownBook, WatchlistItem } from '../../../main/contract';
import { decimalsIn, decimalsOf, describeBook, formatFixed, formatSize, sizeUnitLabel } from '../lib/format';
import { useThrottled } from '../lib/hooks';
import { useHostNow, useMarket } from '../store/market';

const REDRAW_MS = 500;
const LEVELS = 50;

interface Point {
  price: number;
  bid?: number;
  ask?: number;
}

function toPoints(book: ShownBook | undefined): Point[] {
  if (book === undefined || (book.state !== 'valid' && book.state !== 'stale' && book.state !== 'stopped')) return [];
  const bids: Point[] = [];
  let total = 0;
  for (const [price, size] of book.bids.slice(0, LEVELS)) {
    total += Number(size);
    bids.push({ price: Number(price), bid: total });
  }
  const asks: Point[] = [];
  total = 0;
  for (const [price, size] of book.asks.slice(0, LEVELS)) {
    total += Number(size);
    asks.push({ price: Number(price), ask: total });
  }
  return [...bids.reverse(), ...asks];
}

export function DepthChart({ item }: { item: WatchlistItem }) {
  const book = useMarket((s) => s.books[item.id]);
  const shown = useThrottled(book, REDRAW_MS);
  const points = useMemo(() => toPoints(shown), [shown]);
  const now = useHostNow();
  const { live, label } = describeBook(book, now);
  const priceDecimals = decimalsOf(item.tickSize, decimalsIn(shown?.bids[0]?.[0] ?? '0'));
  return (
    <section className="panel depth" aria-label="Depth chart">
      <header className="panel-head">
        <h2>Depth</h2>
        {!live && points.length > 0 && (
          <span className="stale-tag" data-testid="depth-state">
            {label}
          </span>
        )}
      </header>
      <div className={live ? 'chart-box' : 'chart-box stale'} data-testid="depth-chart" data-points={points.length} data-state={book?.state ?? 'none'}>
        {points.length === 0 ? (
          <p className="muted">{live ? 'No live book.' : label}</p>
        ) : (
          <DepthArea points={points} priceDecimals={priceDecimals} lotSize={item.lotSize} unit={sizeUnitLabel(item).short} />
        )}
      </div>
    </section>
  );
}

/**
 * The chart itself, drawn again only when its points or units change (a few times a second):
 * the panel around it renders with every book frame, and a chart given fresh props each time
 * would redo all its layout at the frame rate.
 */
const DepthArea = memo(function DepthArea({
  points,
  priceDecimals,
  lotSize,
  unit,
}: {
  points: readonly Point[];
  priceDecimals: number;
  lotSize: string | undefined;
  unit: string;
}) {
  const priceTick = useCallback((v: number) => formatFixed(v, priceDecimals), [priceDecimals]);
  const sizeTick = useCallback((v: number) => formatSize(v, lotSize), [lotSize]);
  const label = useCallback((v: unknown) => `Price ${formatFixed(Number(v), priceDecimals)}`, [priceDecimals]);
  const value = useCallback(
    (v: unknown, name: unknown): [string, string] => [formatSize(Number(v), lotSize), name === 'bid' ? 'Bids (cumulative)' : 'Asks (cumulative)'],
    [lotSize],
  );
  return (
    <ResponsiveContainer width="100%" height="100%">
      <AreaChart data={points as Point[]} margin={MARGIN}>
        <CartesianGrid stroke="#1d232a" vertical={false} />
        <XAxis dataKey="price" type="number" domain={X_DOMAIN} tick={AXIS_TICK} tickFormatter={priceTick} />
        <YAxis
          tick={AXIS_TICK}
          tickFormatter={sizeTick}
          width={64}
          {...(unit === '' ? {} : { label: { value: unit, angle: -90, position: 'insideLeft' as const, fill: '#7d8793', fontSize: 10 } })}
        />
        <Tooltip contentStyle={TOOLTIP_STYLE} labelFormatter={label} formatter={value} />
        <Area type="stepAfter" dataKey="bid" stroke="#1fbf75" fill="#1fbf75" fillOpacity={0.2} isAnimationActive={false} connectNulls={false} />
        <Area type="stepBefore" dataKey="ask" stroke="#f0506e" fill="#f0506e" fillOpacity={0.2} isAnimationActive={false} connectNulls={false} />
      </AreaChart>
    </ResponsiveContainer>
  );
});

const MARGIN = { top: 4, right: 8, bottom: 0, left: 0 };
const X_DOMAIN = ['dataMin', 'dataMax'];
const AXIS_TICK = { fill: '#7d8793', fontSize: 11 };
const TOOLTIP_STYLE = { background: '#14181d', border: '1px solid #232a31' };
