// Depth chart: cumulative bid and ask size against price, stepped, redrawn a few times a
// second at most (a chart does not need 60 updates a second; a ladder does). A stale book is
// drawn greyed and labelled with its age; a book that is not valid otherwise is not drawn.

import { useMemo } from 'react';
import { Area, AreaChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ShownBook, WatchlistItem } from '../../../main/contract';
import { decimalsIn, decimalsOf, describeBook, formatFixed, formatSize, sizeUnitLabel } from '../lib/format';
import { useThrottled } from '../lib/hooks';
import { useHostNow, useMarket } from '../store/market';

const REDRAW_MS = 250;
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
  const priceDecimals = decimalsOf(item.tickSize, decimalsIn(book?.bids[0]?.[0] ?? '0'));
  const unit = sizeUnitLabel(item);
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
          <ResponsiveContainer width="100%" height="100%">
            <AreaChart data={points} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
              <CartesianGrid stroke="#1d232a" vertical={false} />
              <XAxis
                dataKey="price"
                type="number"
                domain={['dataMin', 'dataMax']}
                tick={{ fill: '#7d8793', fontSize: 11 }}
                tickFormatter={(v: number) => formatFixed(v, priceDecimals)}
              />
              <YAxis
                tick={{ fill: '#7d8793', fontSize: 11 }}
                tickFormatter={(v: number) => formatSize(v, item.lotSize)}
                width={64}
                {...(unit.short === '' ? {} : { label: { value: unit.short, angle: -90, position: 'insideLeft' as const, fill: '#7d8793', fontSize: 10 } })}
              />
              <Tooltip
                contentStyle={{ background: '#14181d', border: '1px solid #232a31' }}
                labelFormatter={(v) => `Price ${formatFixed(Number(v), priceDecimals)}`}
                formatter={(v, name) => [formatSize(Number(v), item.lotSize), name === 'bid' ? 'Bids (cumulative)' : 'Asks (cumulative)']}
              />
              <Area type="stepAfter" dataKey="bid" stroke="#1fbf75" fill="#1fbf75" fillOpacity={0.2} isAnimationActive={false} connectNulls={false} />
              <Area type="stepBefore" dataKey="ask" stroke="#f0506e" fill="#f0506e" fillOpacity={0.2} isAnimationActive={false} connectNulls={false} />
            </AreaChart>
          </ResponsiveContainer>
        )}
      </div>
    </section>
  );
}
