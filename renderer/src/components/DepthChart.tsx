// Depth chart: cumulative bid and ask size against price, stepped, on Lightweight Charts' price
// axis chart (the candle chart's library: one canvas, no per-draw layout of the page). The
// curves are sampled at evenly spaced prices (lib/depth-curve.ts) so distances are true, and
// redrawn from the store a few times a second without React renders. A stale book is drawn
// greyed and labelled with its age; a book that is not valid otherwise is not drawn.

import { useEffect, useRef, useState } from 'react';
import {
  AreaSeries,
  ColorType,
  LineType,
  createOptionsChart,
  type AreaData,
  type DeepPartial,
  type IChartApiBase,
  type ISeriesApi,
  type PriceChartOptions,
  type WhitespaceData,
} from 'lightweight-charts';
import type { ShownBook, WatchlistItem } from '../../../main/contract';
import { depthCurve } from '../lib/depth-curve';
import { decimalsIn, decimalsOf, describeBook, formatCompact, formatSize, sizeUnitLabel } from '../lib/format';
import { useHostNow, useMarket } from '../store/market';

const REDRAW_MS = 250;
const LEVELS = 50;
const BID = '#1fbf75';
const ASK = '#f0506e';

interface DepthView {
  readonly chart: IChartApiBase<number>;
  readonly bids: ISeriesApi<'Area', number>;
  readonly asks: ISeriesApi<'Area', number>;
}

/** Levels are drawn for a valid book, and greyed for a stale one or a finished replay's last. */
const drawable = (book: ShownBook | undefined): book is ShownBook =>
  book !== undefined && (book.state === 'valid' || book.state === 'stale' || book.state === 'stopped');

export function DepthChart({ item }: { item: WatchlistItem }) {
  const state = useMarket((s) => s.books[item.id]?.state);
  const lastChangeAt = useMarket((s) => s.books[item.id]?.lastChangeAt ?? null);
  const recovery = useMarket((s) => s.books[item.id]?.recovery ?? null);
  const now = useHostNow();
  const { live, label } = describeBook(state === undefined ? undefined : { state, lastChangeAt, recovery }, now);
  const boxRef = useRef<HTMLDivElement>(null);
  const viewRef = useRef<DepthView | undefined>(undefined);
  const [points, setPoints] = useState(0);
  const unit = sizeUnitLabel(item);

  useEffect(() => {
    const box = boxRef.current;
    if (box === null) return;
    const chart = createOptionsChart(box, {
      autoSize: true,
      layout: { background: { type: ColorType.Solid, color: '#12161b' }, textColor: '#7d8793', fontSize: 11, attributionLogo: false },
      grid: { vertLines: { visible: false }, horzLines: { color: '#1d232a' } },
      rightPriceScale: { borderColor: '#222930', scaleMargins: { top: 0.08, bottom: 0 } },
      timeScale: { borderColor: '#222930' },
      handleScroll: false,
      handleScale: false,
    });
    const series = (colour: string, fill: string): ISeriesApi<'Area', number> =>
      chart.addSeries(AreaSeries, {
        lineColor: colour,
        topColor: fill,
        bottomColor: fill,
        lineWidth: 1,
        lineType: LineType.WithSteps,
        priceLineVisible: false,
        lastValueVisible: false,
      });
    viewRef.current = { chart, bids: series(BID, 'rgba(31,191,117,0.2)'), asks: series(ASK, 'rgba(240,80,110,0.2)') };
    return () => {
      chart.remove();
      viewRef.current = undefined;
    };
  }, []);

  useEffect(() => {
    const view = viewRef.current;
    const box = boxRef.current;
    if (view === undefined || box === null) return;
    const { lotSize } = item;
    // Cumulative sizes on the axis and crosshair: compact (12.4K, 30.25), not with every lot decimal.
    const sizeFormat = {
      type: 'custom' as const,
      formatter: (v: number) => (Math.abs(v) >= 1 ? formatCompact(v) : formatSize(v, lotSize)),
      minMove: 10 ** -Math.min(6, decimalsOf(lotSize, 4)),
    };
    view.bids.applyOptions({ priceFormat: sizeFormat });
    view.asks.applyOptions({ priceFormat: sizeFormat });
    let drawn: ShownBook | undefined | null = null;
    let precision = -1;
    let labelWidth = 0;
    const draw = (): void => {
      const held = useMarket.getState().books[item.id];
      const book = drawable(held) ? held : undefined;
      if (book === drawn) return;
      drawn = book;
      const curve = depthCurve(book, LEVELS);
      const decimals = decimalsOf(item.tickSize, decimalsIn(book?.bids[0]?.[0] ?? book?.asks[0]?.[0] ?? '0'));
      // Price labels as wide as the book's prices (the axis assumes 8 characters: longer ones overlapped).
      const width = (curve.prices.at(-1) ?? 0).toFixed(decimals).length + 2;
      if (decimals !== precision || width !== labelWidth) {
        precision = decimals;
        labelWidth = width;
        // The price axis writes prices with the book's decimals (an option of price charts only).
        const options: DeepPartial<PriceChartOptions> = { localization: { precision: decimals }, timeScale: { tickMarkMaxCharacterLength: width } };
        view.chart.applyOptions(options);
      }
      const bids: (AreaData<number> | WhitespaceData<number>)[] = [];
      const asks: (AreaData<number> | WhitespaceData<number>)[] = [];
      curve.prices.forEach((time, i) => {
        const bid = curve.bids[i];
        const ask = curve.asks[i];
        bids.push(bid === undefined ? { time } : { time, value: bid });
        asks.push(ask === undefined ? { time } : { time, value: ask });
      });
      view.bids.setData(bids);
      view.asks.setData(asks);
      view.chart.timeScale().fitContent();
      box.dataset['levels'] = String(curve.levels);
      setPoints(curve.levels);
    };
    draw();
    const timer = setInterval(draw, REDRAW_MS);
    return () => clearInterval(timer);
  }, [item]);

  return (
    <section className="panel depth" aria-label="Depth chart">
      <header className="panel-head">
        <h2 title={unit.title}>Depth{unit.short === '' ? '' : ` (${unit.short})`}</h2>
        {!live && points > 0 && (
          <span className="stale-tag" data-testid="depth-state">
            {label}
          </span>
        )}
      </header>
      <div className={live ? 'chart-box' : 'chart-box stale'} ref={boxRef} data-testid="depth-chart" data-points={points} data-state={state ?? 'none'}>
        {points === 0 && <p className="muted chart-note">{live ? 'No live book.' : label}</p>}
      </div>
    </section>
  );
}
