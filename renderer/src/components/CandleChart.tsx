// Candlestick chart with volume: history over REST plus live candles, timeframes 1m…1D. The
// candle that is still forming is drawn hollow and dashed; closed candles are solid.

import { useEffect, useMemo, useState } from 'react';
import { Bar, CartesianGrid, ComposedChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { Candle, WatchlistItem } from '../../../main/contract';
import { useClient } from '../api/context';
import { decimalsOf, formatCompact, formatFixed } from '../lib/format';
import { useThrottled } from '../lib/hooks';
import { candleKey, useMarket } from '../store/market';
import { TIMEFRAMES, useSession } from '../store/session';

const MAX_CANDLES = 120;

interface CandlePoint {
  readonly time: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
  readonly closed: boolean;
  /** `[low, high]`: the bar's extent; the shape draws wick and body inside it. */
  readonly range: [number, number];
}

interface ShapeProps {
  readonly x?: number;
  readonly y?: number;
  readonly width?: number;
  readonly height?: number;
  readonly payload?: CandlePoint;
}

function CandleShape({ x = 0, y = 0, width = 0, height = 0, payload }: ShapeProps) {
  if (payload === undefined) return null;
  const { open, close, high, low, closed } = payload;
  const up = close >= open;
  const colour = up ? '#1fbf75' : '#f0506e';
  const span = high - low;
  const scale = span > 0 ? height / span : 0;
  const yOf = (price: number): number => y + (high - price) * scale;
  const bodyTop = yOf(Math.max(open, close));
  const bodyHeight = Math.max(1, Math.abs(open - close) * scale);
  const centre = x + width / 2;
  return (
    <g className={closed ? 'candle' : 'candle forming'} data-closed={closed}>
      <line x1={centre} x2={centre} y1={y} y2={y + height} stroke={colour} strokeDasharray={closed ? undefined : '2 2'} />
      <rect x={x + width * 0.15} width={width * 0.7} y={bodyTop} height={bodyHeight} fill={closed ? colour : 'none'} stroke={colour} strokeDasharray={closed ? undefined : '3 2'} />
    </g>
  );
}

function toPoint(c: Candle): CandlePoint {
  return { time: c.openTime, open: c.open, high: c.high, low: c.low, close: c.close, volume: c.volume, closed: c.closed, range: [c.low, c.high] };
}

export function CandleChart({ item }: { item: WatchlistItem }) {
  const client = useClient();
  const timeframe = useSession((s) => s.timeframe);
  const setTimeframe = useSession((s) => s.setTimeframe);
  const [history, setHistory] = useState<Candle[]>([]);
  const [error, setError] = useState<string | undefined>();
  const live = useThrottled(useMarket((s) => s.liveCandles[candleKey(item.id, timeframe)]), 500);

  useEffect(() => {
    let current = true;
    setHistory([]);
    void client.call('getCandles', { id: item.id, timeframe }).then((result) => {
      if (!current) return;
      if (result.ok) {
        setHistory(result.value);
        setError(undefined);
      } else {
        setError(result.error.message);
      }
    });
    return () => {
      current = false;
    };
  }, [client, item.id, timeframe]);

  const points = useMemo(() => {
    const merged = [...history];
    if (live !== undefined) {
      const last = merged.at(-1);
      if (last !== undefined && last.openTime === live.openTime) merged[merged.length - 1] = live;
      else if (last === undefined || last.openTime < live.openTime) merged.push(live);
    }
    // Only the newest candle can be forming: one followed by a later candle is closed.
    const shown = merged.slice(-MAX_CANDLES);
    return shown.map((c, i) => toPoint(i < shown.length - 1 && !c.closed ? { ...c, closed: true } : c));
  }, [history, live]);

  const decimals = decimalsOf(item.tickSize, 2);
  const timeLabel = (t: number): string => {
    const date = new Date(t);
    return timeframe === '1D' || timeframe === '4H'
      ? `${date.getMonth() + 1}/${date.getDate()}${timeframe === '4H' ? ` ${date.getHours()}h` : ''}`
      : `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
  };

  return (
    <section className="panel candles" aria-label="Candles">
      <header className="panel-head">
        <h2>{item.symbol}</h2>
        <div className="segmented" role="group" aria-label="Timeframe">
          {TIMEFRAMES.map((t) => (
            <button key={t} type="button" className={t === timeframe ? 'active' : undefined} aria-pressed={t === timeframe} onClick={() => setTimeframe(t)}>{t}</button>
          ))}
        </div>
      </header>
      <div className="chart-box tall" data-testid="candle-chart" data-candles={points.length} data-forming={points.at(-1)?.closed === false}>
        {error !== undefined && <p className="error">{error}</p>}
        {points.length === 0 ? (
          <p className="muted">Loading candles…</p>
        ) : (
          <ResponsiveContainer width="100%" height="100%">
            <ComposedChart data={points} margin={{ top: 6, right: 8, bottom: 0, left: 0 }} barCategoryGap="15%">
              <CartesianGrid stroke="#1d232a" vertical={false} />
              <XAxis dataKey="time" tickFormatter={timeLabel} tick={{ fill: '#7d8793', fontSize: 11 }} minTickGap={40} />
              <YAxis yAxisId="price" orientation="right" domain={['dataMin', 'dataMax']} tickFormatter={(v: number) => formatFixed(v, decimals)} tick={{ fill: '#7d8793', fontSize: 11 }} width={72} />
              <YAxis yAxisId="volume" hide domain={[0, (max: number) => max * 4]} />
              <Tooltip
                contentStyle={{ background: '#14181d', border: '1px solid #232a31' }}
                labelFormatter={(t) => new Date(Number(t)).toLocaleString()}
                formatter={(value, name, entry) => {
                  const p = (entry as { payload?: CandlePoint }).payload;
                  if (name === 'range' && p !== undefined) return [`O ${formatFixed(p.open, decimals)} H ${formatFixed(p.high, decimals)} L ${formatFixed(p.low, decimals)} C ${formatFixed(p.close, decimals)}${p.closed ? '' : ' (forming)'}`, 'OHLC'];
                  return [formatCompact(Number(value)), 'Volume'];
                }}
              />
              <Bar yAxisId="volume" dataKey="volume" fill="#2b3440" isAnimationActive={false} />
              <Bar yAxisId="price" dataKey="range" shape={<CandleShape />} isAnimationActive={false} />
            </ComposedChart>
          </ResponsiveContainer>
        )}
      </div>
    </section>
  );
}
