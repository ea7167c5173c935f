// Liquidity heatmap: the selected symbol's resting size at each price through time (the book as
// it stood every 100 ms over the last 30 minutes, see lib/book-history.ts), its trades as
// bubbles sized by notional, and the best bid and ask drawn on top. Wheel zooms time (with
// Shift, price), dragging pans both, "Live" follows the market again. Drawn on one canvas by its
// own loop: at most ten times a second from new data, every display frame while the trader
// moves it; never through React renders. A replay draws its recorded time; a book that was not
// valid is a striped gap, and a feed that is not live says so on the map.

import { useEffect, useRef, useState } from 'react';
import type { WatchlistItem } from '../../../main/contract';
import { SLOT_MS, type SymbolHistory } from '../lib/book-history';
import { bubblesInView, paintHeatmap, priceTicks, timeTicks, xOf, yOf, type Viewport } from '../lib/heatmap-paint';
import { decimalsOf, describeBook, formatCompact, formatFixed } from '../lib/format';
import { histories } from '../store/history';
import { AXIS_BOTTOM, AXIS_RIGHT, useMapPointer, type Hover, type Placement } from './heatmap-pointer';
import { useHostNow, useMarket } from '../store/market';
import { ChartViewToggle } from './book-shared';

const SPANS = [
  ['1m', 60_000],
  ['5m', 300_000],
  ['15m', 900_000],
  ['30m', 1_800_000],
] as const;
/** Data redraws at most this often (a column is 100 ms); moving the map redraws every frame. */
const DATA_REDRAW_MS = 100;
const BID = '#1fbf75';
const ASK = '#f0506e';

const hhmmss = (ms: number): string => new Date(ms).toLocaleTimeString([], { hour12: false });

/** The newest valid column's best bid and ask, and the price range its levels span. */
function latestBook(history: SymbolHistory | undefined): { mid: number; reach: number } | undefined {
  const columns = history?.columns;
  if (columns === undefined) return undefined;
  for (let i = columns.length - 1; i >= 0 && i >= columns.length - 50; i -= 1) {
    const column = columns.column(i);
    if (column.bidCount === 0 || column.askCount === 0) continue;
    const [bid] = columns.level(i, 'bid', 0);
    const [ask] = columns.level(i, 'ask', 0);
    const [deepBid] = columns.level(i, 'bid', column.bidCount - 1);
    const [deepAsk] = columns.level(i, 'ask', column.askCount - 1);
    return { mid: (bid + ask) / 2, reach: Math.max(deepAsk - deepBid, (ask - bid) * 4, column.step * 20) };
  }
  return undefined;
}

/** The present of the map: now for a live feed, the newest record for a replay. */
function edgeOf(item: WatchlistItem, history: SymbolHistory | undefined): number {
  if (item.replayOf === undefined) return Date.now() + useMarket.getState().hostOffsetMs;
  const columns = history?.columns.lastTime ?? 0;
  const trades = history === undefined || history.trades.length === 0 ? 0 : history.trades.timeOf(history.trades.length - 1);
  return Math.max(columns + SLOT_MS, trades);
}

export function Heatmap({ item }: { item: WatchlistItem }) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const boxRef = useRef<HTMLDivElement>(null);
  const placement = useRef<Placement>({ span: 300_000, end: null, centre: null, range: null });
  const moved = useRef(true);
  const pointer = useRef<{ x: number; y: number } | undefined>(undefined);
  const [following, setFollowing] = useState(true);
  const [span, setSpan] = useState(placement.current.span);
  const [hover, setHover] = useState<Hover | undefined>();
  const decimals = decimalsOf(item.tickSize, 2);

  useEffect(() => {
    placement.current = { span: placement.current.span, end: null, centre: null, range: null };
    setFollowing(true);
    moved.current = true;
  }, [item.id]);

  // The drawing loop.
  useEffect(() => {
    const canvas = canvasRef.current;
    const box = boxRef.current;
    const ctx = canvas?.getContext('2d', { alpha: false });
    if (canvas === null || box === null || ctx === null || ctx === undefined) return;
    let frame = 0;
    let drawnVersion = -1;
    let drawnAt = 0;
    let image: ImageData | undefined;
    let paintedKey = '';
    let lastPainted: ReturnType<typeof paintHeatmap> | undefined;
    let draws = 0;
    const viewNow = (history: SymbolHistory | undefined, edge: number): Viewport => {
      const p = placement.current;
      const end = p.end ?? edge + p.span * 0.03;
      const book = latestBook(history);
      const range = p.range ?? book?.reach ?? 1;
      const centre = p.centre ?? book?.mid ?? 0;
      return { start: end - p.span, end, low: centre - range / 2, high: centre + range / 2 };
    };
    const draw = (): void => {
      frame = requestAnimationFrame(draw);
      const width = Math.max(0, Math.floor(box.clientWidth));
      const height = Math.max(0, Math.floor(box.clientHeight));
      const resized = canvas.width !== width || canvas.height !== height;
      const t = performance.now();
      const dataDue = histories.version !== drawnVersion && t - drawnAt >= DATA_REDRAW_MS;
      const clockDue = placement.current.end === null && t - drawnAt >= 4 * DATA_REDRAW_MS;
      if (!resized && !moved.current && !dataDue && !clockDue) return;
      if (resized) {
        canvas.width = width;
        canvas.height = height;
      }
      moved.current = false;
      drawnVersion = histories.version;
      drawnAt = t;
      const plotW = width - AXIS_RIGHT;
      const plotH = height - AXIS_BOTTOM;
      if (plotW <= 0 || plotH <= 0) return;
      const history = histories.get(item.id);
      const edge = edgeOf(item, history);
      const view = viewNow(history, edge);
      if (image?.width !== plotW || image.height !== plotH) {
        image = ctx.createImageData(plotW, plotH);
        paintedKey = '';
      }
      ctx.fillStyle = '#12161b';
      ctx.fillRect(0, 0, width, height);
      // Only the crosshair moved: the pixels of the last paint still hold.
      const key = `${view.start}|${view.end}|${view.low}|${view.high}|${plotW}|${plotH}|${histories.version}|${item.id}`;
      const painted =
        history === undefined ? undefined : key === paintedKey ? lastPainted : paintHeatmap(history.columns, view, plotW, plotH, edge, image.data);
      paintedKey = key;
      lastPainted = painted;
      if (painted !== undefined) ctx.putImageData(image, 0, 0);
      // Best bid and ask.
      if (painted !== undefined) {
        for (const [ys, colour] of [
          [painted.bidY, BID],
          [painted.askY, ASK],
        ] as const) {
          ctx.beginPath();
          let open = false;
          for (let x = 0; x < ys.length; x += 1) {
            const y = ys[x] ?? Number.NaN;
            if (Number.isNaN(y)) open = false;
            else if (!open) {
              ctx.moveTo(x, y);
              open = true;
            } else ctx.lineTo(x, y);
          }
          // A dark edge keeps the line readable over the brightest liquidity.
          ctx.strokeStyle = '#0b0e12';
          ctx.lineWidth = 3.5;
          ctx.stroke();
          ctx.strokeStyle = colour;
          ctx.lineWidth = 1.5;
          ctx.stroke();
        }
      }
      // Trades.
      const bubbles = history === undefined ? [] : bubblesInView(history.trades, item, view, plotW, plotH);
      ctx.lineWidth = 1;
      for (const b of bubbles) {
        ctx.beginPath();
        ctx.arc(b.x, b.y, b.r, 0, Math.PI * 2);
        ctx.fillStyle = b.buy ? 'rgba(31,191,117,0.55)' : 'rgba(240,80,110,0.55)';
        ctx.strokeStyle = b.buy ? BID : ASK;
        ctx.fill();
        ctx.stroke();
      }
      // Axes.
      ctx.fillStyle = '#12161b';
      ctx.fillRect(plotW, 0, AXIS_RIGHT, height);
      ctx.fillRect(0, plotH, width, AXIS_BOTTOM);
      ctx.fillStyle = '#7d8793';
      ctx.font = '11px system-ui, sans-serif';
      ctx.textBaseline = 'middle';
      for (const p of priceTicks(view.low, view.high, plotH)) ctx.fillText(formatFixed(p, decimals), plotW + 6, yOf(view, plotH, p));
      ctx.textBaseline = 'top';
      for (const tm of timeTicks(view.start, view.end, plotW)) ctx.fillText(hhmmss(tm), xOf(view, plotW, tm) - 24, plotH + 3);
      // Crosshair.
      const at = pointer.current;
      if (at !== undefined && at.x < plotW && at.y < plotH) {
        ctx.strokeStyle = 'rgba(200,210,220,0.5)';
        ctx.setLineDash([4, 4]);
        ctx.beginPath();
        ctx.moveTo(at.x, 0);
        ctx.lineTo(at.x, plotH);
        ctx.moveTo(0, at.y);
        ctx.lineTo(plotW, at.y);
        ctx.stroke();
        ctx.setLineDash([]);
      }
      draws += 1;
      canvas.dataset['draws'] = String(draws);
      canvas.dataset['columns'] = String(history?.columns.length ?? 0);
      canvas.dataset['bubbles'] = String(bubbles.length);
      canvas.dataset['start'] = String(Math.round(view.start));
      canvas.dataset['end'] = String(Math.round(view.end));
      canvas.dataset['low'] = String(view.low);
      canvas.dataset['high'] = String(view.high);
      canvas.dataset['scale'] = String(painted?.scale ?? 0);
      canvas.dataset['edge'] = String(Math.round(edge));
      canvas.dataset['bytes'] = String(histories.bytes);
      // The newest drawn best bid and ask (y, px): tests read the lines without reading pixels.
      let x = plotW - 1;
      while (x > 0 && Number.isNaN(painted?.bidY[x] ?? Number.NaN)) x -= 1;
      canvas.dataset['best'] = painted === undefined || Number.isNaN(painted.bidY[x] ?? Number.NaN) ? '' : `${painted.bidY[x]},${painted.askY[x]}`;
    };
    frame = requestAnimationFrame(draw);
    return () => cancelAnimationFrame(frame);
  }, [item, decimals]);

  useMapPointer(canvasRef, placement, { moved, pointer }, item.id, { setFollowing, setSpan, setHover });

  const goLive = (): void => {
    const p = placement.current;
    p.end = null;
    p.centre = null;
    setFollowing(true);
    moved.current = true;
  };
  const chooseSpan = (ms: number): void => {
    placement.current.span = ms;
    setSpan(ms);
    moved.current = true;
  };

  return (
    <section className="panel heatmap" aria-label="Heatmap">
      <header className="panel-head">
        <h2>
          {item.replayOf !== undefined && <span className="replay-tag">REPLAY</span>} <span title={item.symbol}>{item.label}</span>
        </h2>
        <ChartViewToggle />
        <span className="legend" data-testid="heatmap-legend">
          {hover === undefined ? (
            <span className="muted">wheel: time · shift+wheel: price · drag: pan</span>
          ) : (
            <>
              <span className="muted">{hhmmss(hover.time)}</span>
              <span>
                P <b>{formatFixed(hover.price, decimals)}</b>
              </span>
              <span>
                resting <b>{hover.size === undefined ? '—' : formatCompact(hover.size)}</b>
              </span>
            </>
          )}
        </span>
        <div className="segmented" role="group" aria-label="Heatmap span">
          {SPANS.map(([label, ms]) => (
            <button key={label} type="button" className={span === ms ? 'active' : undefined} aria-pressed={span === ms} onClick={() => chooseSpan(ms)}>
              {label}
            </button>
          ))}
        </div>
        <button type="button" className={following ? 'active' : undefined} aria-pressed={following} onClick={goLive} title="Follow the market">
          Live
        </button>
      </header>
      <div className="chart-box tall heatmap-box" ref={boxRef}>
        <canvas ref={canvasRef} data-testid="heatmap" data-following={String(following)} />
        <HeatmapState item={item} />
      </div>
    </section>
  );
}

/** Says on the map when the book is not live: stale, resynchronizing, stopped, or a replay. */
function HeatmapState({ item }: { item: WatchlistItem }) {
  const state = useMarket((s) => s.books[item.id]?.state);
  const lastChangeAt = useMarket((s) => s.books[item.id]?.lastChangeAt ?? null);
  const recovery = useMarket((s) => s.books[item.id]?.recovery ?? null);
  const now = useHostNow();
  if (item.replayOf !== undefined) {
    return (
      <span className="chart-state" data-testid="heatmap-state">
        REPLAY · {item.replayOf}
      </span>
    );
  }
  const { live, label } = describeBook(state === undefined ? undefined : { state, lastChangeAt, recovery }, now);
  if (live) return null;
  return (
    <span className="chart-state" data-testid="heatmap-state">
      {label}
    </span>
  );
}
