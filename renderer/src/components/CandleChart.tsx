// Candlestick chart with volume, drawn by TradingView's Lightweight Charts on a canvas: a time
// x-axis (dates on 1H/4H/1D), round price ticks, wheel zoom, drag pan and a crosshair whose
// legend shows OHLCV and time. The series is kept complete (see lib/candle-series.ts): REST
// history plus every live candle, holes fetched again; the forming candle is drawn hollow.
// Live candles reach the chart through a store subscription, not React renders. A feed that is
// stale, stopped or replayed says so on the chart.

import { useEffect, useMemo, useRef, useState } from 'react';
import {
  CandlestickSeries,
  ColorType,
  CrosshairMode,
  HistogramSeries,
  createChart,
  type CandlestickData,
  type HistogramData,
  type IChartApi,
  type ISeriesApi,
  type MouseEventParams,
  type Time,
  type UTCTimestamp,
} from 'lightweight-charts';
import { timeframeMs } from '../../../main/contract';
import type { Candle, WatchlistItem } from '../../../main/contract';
import { useClient } from '../api/context';
import { CandleSeries, type SeriesChange } from '../lib/candle-series';
import { candleTime, tickLabel } from '../lib/time-labels';
import { decimalsOf, formatAge, formatCompact, formatFixed } from '../lib/format';
import { candleKey, useHostNow, useMarket } from '../store/market';
import { TIMEFRAMES, useSession } from '../store/session';
import { ChartViewToggle } from './book-shared';
import { CvdPane } from './CvdPane';

const UP = '#1fbf75';
const DOWN = '#f0506e';
/** Bars never closer than this: candle bodies stay at least 3 px wide at any zoom. */
const MIN_BAR_SPACING = 5;
const DEFAULT_BAR_SPACING = 9;
/** A hole in the series is fetched again at most this often. */
const REFETCH_MS = 10_000;

interface ChartView {
  readonly chart: IChartApi;
  readonly candles: ISeriesApi<'Candlestick'>;
  readonly volume: ISeriesApi<'Histogram'>;
}

interface Legend {
  readonly time: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
  readonly closed: boolean;
}

const toTime = (ms: number): UTCTimestamp => Math.floor(ms / 1000) as UTCTimestamp;

function toBar(c: Candle): CandlestickData {
  const colour = c.close >= c.open ? UP : DOWN;
  // The forming candle is hollow: border and wick only.
  return {
    time: toTime(c.openTime),
    open: c.open,
    high: c.high,
    low: c.low,
    close: c.close,
    color: c.closed ? colour : 'rgba(0,0,0,0)',
    borderColor: colour,
    wickColor: colour,
  };
}

function toVolume(c: Candle): HistogramData {
  return { time: toTime(c.openTime), value: c.volume, color: c.close >= c.open ? 'rgba(31,191,117,0.35)' : 'rgba(240,80,110,0.35)' };
}

export function CandleChart({ item }: { item: WatchlistItem }) {
  const client = useClient();
  const timeframe = useSession((s) => s.timeframe);
  const setTimeframe = useSession((s) => s.setTimeframe);
  const boxRef = useRef<HTMLDivElement>(null);
  const viewRef = useRef<ChartView | undefined>(undefined);
  const seriesRef = useRef<CandleSeries<Candle> | undefined>(undefined);
  const [hovered, setHovered] = useState<Legend | undefined>();
  const [latest, setLatest] = useState<Legend | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [loaded, setLoaded] = useState(false);
  const [chartApi, setChartApi] = useState<IChartApi | undefined>();
  const decimals = decimalsOf(item.tickSize, 2);
  const intraday = (timeframeMs(timeframe) ?? 0) < 86_400_000;

  // The chart itself: made once per mount, sized by its box.
  useEffect(() => {
    const box = boxRef.current;
    if (box === null) return;
    const chart = createChart(box, {
      autoSize: true,
      layout: { background: { type: ColorType.Solid, color: '#12161b' }, textColor: '#7d8793', fontSize: 11, attributionLogo: false },
      grid: { vertLines: { color: '#1a2027' }, horzLines: { color: '#1d232a' } },
      rightPriceScale: { borderColor: '#222930' },
      timeScale: {
        borderColor: '#222930',
        minBarSpacing: MIN_BAR_SPACING,
        barSpacing: DEFAULT_BAR_SPACING,
        rightOffset: 3,
        tickMarkFormatter: (time: Time, kind: number) => tickLabel(time as number, kind),
      },
      crosshair: { mode: CrosshairMode.Normal },
      localization: { timeFormatter: (time: Time) => candleTime((time as number) * 1000, '1m') },
    });
    const candles = chart.addSeries(CandlestickSeries, { upColor: UP, downColor: DOWN, borderVisible: true, wickVisible: true, priceLineVisible: true });
    const volume = chart.addSeries(HistogramSeries, {
      priceScaleId: 'volume',
      priceFormat: { type: 'volume' },
      lastValueVisible: false,
      priceLineVisible: false,
    });
    chart.priceScale('volume').applyOptions({ scaleMargins: { top: 0.82, bottom: 0 } });
    candles.priceScale().applyOptions({ scaleMargins: { top: 0.06, bottom: 0.22 } });
    const measure = (): void => {
      const range = chart.timeScale().getVisibleLogicalRange();
      const width = chart.timeScale().width();
      if (range === null || width <= 0) return;
      const spacing = width / Math.max(1, range.to - range.from);
      box.dataset['barSpacing'] = spacing.toFixed(2);
      // Lightweight Charts draws bodies about 80 % of the bar spacing wide.
      box.dataset['bodyPx'] = Math.floor(spacing * 0.8).toString();
    };
    chart.timeScale().subscribeVisibleLogicalRangeChange(measure);
    let frame = 0;
    const onCrosshair = (param: MouseEventParams): void => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => {
        const time = param.time as number | undefined;
        const candle = time === undefined ? undefined : seriesRef.current?.candles.find((c) => toTime(c.openTime) === time);
        setHovered(
          candle === undefined
            ? undefined
            : {
                time: candle.openTime,
                open: candle.open,
                high: candle.high,
                low: candle.low,
                close: candle.close,
                volume: candle.volume,
                closed: candle.closed,
              },
        );
      });
    };
    chart.subscribeCrosshairMove(onCrosshair);
    viewRef.current = { chart, candles, volume };
    setChartApi(chart);
    return () => {
      setChartApi(undefined);
      cancelAnimationFrame(frame);
      chart.timeScale().unsubscribeVisibleLogicalRangeChange(measure);
      chart.unsubscribeCrosshairMove(onCrosshair);
      chart.remove();
      viewRef.current = undefined;
    };
  }, []);

  useEffect(() => {
    const view = viewRef.current;
    if (view === undefined) return;
    view.candles.applyOptions({ priceFormat: { type: 'price', precision: decimals, minMove: 10 ** -decimals } });
    view.chart.applyOptions({
      timeScale: { timeVisible: intraday, secondsVisible: false },
      localization: { timeFormatter: (time: Time) => candleTime((time as number) * 1000, timeframe) },
    });
  }, [decimals, intraday, timeframe]);

  // The series of this symbol and timeframe: history, then every live candle, holes refetched.
  useEffect(() => {
    const view = viewRef.current;
    const box = boxRef.current;
    if (view === undefined || box === null) return;
    const series = new CandleSeries<Candle>(timeframe);
    seriesRef.current = series;
    const key = candleKey(item.id, timeframe);
    let alive = true;
    let fetching = false;
    let lastFetch = 0;
    let first = true;
    view.candles.setData([]);
    view.volume.setData([]);
    setLoaded(false);
    setLatest(undefined);
    setHovered(undefined);
    /** Bars the chart holds now (they match the series' first `drawn` candles). */
    let drawn = 0;
    const redraw = (all: readonly Candle[]): void => {
      view.candles.setData(all.map(toBar));
      view.volume.setData(all.map(toVolume));
      drawn = all.length;
    };
    const draw = (change: SeriesChange): void => {
      const all = series.candles;
      if (change.kind === 'none') return;
      if (change.kind === 'all' || change.from > drawn) {
        redraw(all);
      } else {
        try {
          for (let i = change.from; i < all.length; i += 1) {
            const candle = all[i];
            if (candle === undefined) continue;
            // Bars the chart has are updated in place; new ones are appended, oldest first.
            const historical = i < drawn - 1;
            view.candles.update(toBar(candle), historical);
            view.volume.update(toVolume(candle), historical);
          }
          drawn = all.length;
        } catch {
          // The chart refused a partial update: draw it all again rather than show it wrong.
          redraw(all);
        }
      }
      const last = all.at(-1);
      box.dataset['candles'] = String(all.length);
      box.dataset['forming'] = String(series.forming());
      box.dataset['gaps'] = String(series.gaps());
      box.dataset['lastOpen'] = String(last?.openTime ?? '');
      setLatest(
        last === undefined
          ? undefined
          : { time: last.openTime, open: last.open, high: last.high, low: last.low, close: last.close, volume: last.volume, closed: last.closed },
      );
      if (first && all.length > 0) {
        first = false;
        view.chart.timeScale().applyOptions({ barSpacing: DEFAULT_BAR_SPACING });
        view.chart.timeScale().scrollToRealTime();
        setLoaded(true);
      }
    };
    const fetchHistory = (): void => {
      fetching = true;
      lastFetch = Date.now();
      void client.call('getCandles', { id: item.id, timeframe }).then((result) => {
        fetching = false;
        if (!alive) return;
        if (!result.ok) {
          setError(result.error.message);
          return;
        }
        setError(undefined);
        draw(series.reset(result.value));
      });
    };
    const onLive = (candles: readonly Candle[]): void => {
      // Called from the store: whatever happens here must not stop the store's other listeners.
      try {
        draw(series.merge(candles));
      } catch {
        redraw(series.candles);
      }
      // Minutes the chart did not see (a reconnect, a hidden tab): ask the host for them.
      if (series.gaps() > 0 && !fetching && Date.now() - lastFetch > REFETCH_MS) fetchHistory();
    };
    fetchHistory();
    onLive(useMarket.getState().liveCandles[key] ?? []);
    const unsubscribe = useMarket.subscribe((state, previous) => {
      const fresh = state.liveCandles[key];
      if (fresh !== undefined && fresh !== previous.liveCandles[key]) onLive(fresh);
    });
    return () => {
      alive = false;
      unsubscribe();
    };
  }, [client, item.id, timeframe]);

  const legend = hovered ?? latest;
  return (
    <section className="panel candles" aria-label="Candles">
      <header className="panel-head">
        <h2>
          {item.replayOf !== undefined && <span className="replay-tag">REPLAY</span>} <span title={item.symbol}>{item.label}</span>
        </h2>
        <ChartViewToggle />
        <CandleLegend legend={legend} decimals={decimals} timeframe={timeframe} />
        <div className="segmented" role="group" aria-label="Timeframe">
          {TIMEFRAMES.map((t) => (
            <button key={t} type="button" className={t === timeframe ? 'active' : undefined} aria-pressed={t === timeframe} onClick={() => setTimeframe(t)}>
              {t}
            </button>
          ))}
        </div>
      </header>
      <CvdPane chart={chartApi} item={item} timeframe={timeframe} />
      <div className="chart-box tall candle-box" ref={boxRef} data-testid="candle-chart" data-timeframe={timeframe}>
        {error !== undefined && <p className="error chart-note">{error}</p>}
        {!loaded && error === undefined && <p className="muted chart-note">Loading candles…</p>}
        <FeedState item={item} timeframe={timeframe} />
      </div>
      <p className="credit">
        Charts:{' '}
        <a href="https://www.tradingview.com/" target="_blank" rel="noopener noreferrer">
          TradingView Lightweight Charts™
        </a>
      </p>
    </section>
  );
}

function CandleLegend({ legend, decimals, timeframe }: { legend: Legend | undefined; decimals: number; timeframe: string }) {
  if (legend === undefined) return <span className="legend muted" data-testid="candle-legend" />;
  const colour = legend.close >= legend.open ? 'up' : 'down';
  return (
    <span className="legend" data-testid="candle-legend">
      <span className="muted">{candleTime(legend.time, timeframe)}</span>
      <span>
        O <b className={colour}>{formatFixed(legend.open, decimals)}</b>
      </span>
      <span>
        H <b className={colour}>{formatFixed(legend.high, decimals)}</b>
      </span>
      <span>
        L <b className={colour}>{formatFixed(legend.low, decimals)}</b>
      </span>
      <span>
        C <b className={colour}>{formatFixed(legend.close, decimals)}</b>
      </span>
      <span>
        V <b>{formatCompact(legend.volume)}</b>
      </span>
      {!legend.closed && <span className="muted">forming</span>}
    </span>
  );
}

/** Says on the chart when its feed is not live: stale candle stream, stopped, or a replay. */
function FeedState({ item, timeframe }: { item: WatchlistItem; timeframe: string }) {
  const status = useMarket((s) => s.statuses[item.id]);
  const now = useHostNow();
  const text = useMemo(() => {
    if (item.replayOf !== undefined) return `REPLAY · ${item.replayOf}`;
    if (status === undefined) return undefined;
    const stream = status.streams[`candles:${timeframe}`];
    const last = stream?.lastMessageAt ?? status.lastMessageAt;
    const age = last === null ? '' : ` ${formatAge(now - last)} ago`;
    if (status.status === 'stopped' || status.status === 'error') return `${status.status === 'stopped' ? 'STOPPED' : 'ERROR'} — last update${age}`;
    if (stream?.state === 'stale') return `STALE — last update${age}`;
    if (status.status === 'reconnecting') return 'RECONNECTING — not live';
    return undefined;
  }, [item.replayOf, status, timeframe, now]);
  if (text === undefined) return null;
  return (
    <span className="chart-state" data-testid="chart-state">
      {text}
    </span>
  );
}
