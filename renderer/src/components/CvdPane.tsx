// CVD under the price chart: a pane of the candle chart with the asset's cumulative volume
// delta on every venue of the watchlist (a thin line in each venue's colour) and summed over
// them (the thick line), in the base asset, period by period in the chart's timeframe. The host
// counts every trade (getFlow); the page asks again for the newest periods at most once a
// second while trades or statuses of those feeds change. Periods where a feed was not live are
// drawn grey and the legend says so; a replay shows only its own flow.

import { useEffect, useMemo, useState } from 'react';
import { LineSeries, type IChartApi, type ISeriesApi, type LineData, type UTCTimestamp } from 'lightweight-charts';
import { timeframeMs, type FlowSeries, type UiTimeframe, type WatchlistItem } from '../../../main/contract';
import { useClient } from '../api/context';
import { instrumentsOf } from '../lib/asset-flow';
import { aggregateCvd, cvdLine, mergeFlow, type CvdPoint } from '../lib/cvd';
import { formatCompact } from '../lib/format';
import { useMarket } from '../store/market';
import { useSession } from '../store/session';

const REFRESH_MS = 1000;
const PARTIAL = '#6b7280';
const ALL = '#e8edf2';
const PANE = 1;

/** A venue's colour as the stylesheet gives it (`.venue-okx { --venue: … }`). */
const colours = new Map<string, string>();
function venueColour(exchange: string): string {
  let colour = colours.get(exchange);
  if (colour === undefined) {
    const probe = document.createElement('span');
    probe.className = `venue-${exchange}`;
    document.body.append(probe);
    colour = getComputedStyle(probe).getPropertyValue('--venue').trim() || '#9aa4ae';
    probe.remove();
    colours.set(exchange, colour);
  }
  return colour;
}

interface LegendRow {
  readonly id: string;
  readonly name: string;
  readonly exchange: string | undefined;
  readonly value: number | undefined;
  readonly partial: boolean;
}

const toData = (points: readonly CvdPoint[], colour: string): LineData[] =>
  points.map((p) => ({ time: Math.floor(p.time / 1000) as UTCTimestamp, value: p.value, color: p.partial ? PARTIAL : colour }));

export function CvdPane({ chart, item, timeframe }: { chart: IChartApi | undefined; item: WatchlistItem; timeframe: UiTimeframe }) {
  const client = useClient();
  const on = useSession((s) => s.cvdOn);
  const setOn = useSession((s) => s.setCvdOn);
  const watchlist = useSession((s) => s.watchlist);
  const venues = useMemo(() => (item.replayOf !== undefined || item.base === undefined ? [item] : instrumentsOf(watchlist, item.base)), [item, watchlist]);
  const key = venues.map((v) => v.id).join('\n');
  const [legend, setLegend] = useState<{ rows: LegendRow[]; since: number | undefined }>({ rows: [], since: undefined });

  useEffect(() => {
    if (chart === undefined || !on) return;
    const period = timeframeMs(timeframe) ?? 60_000;
    const held = new Map<string, FlowSeries>();
    const lines = new Map<string, ISeriesApi<'Line'>>();
    const line = (id: string, colour: string, width: 1 | 2 | 3): ISeriesApi<'Line'> =>
      chart.addSeries(
        LineSeries,
        { color: colour, lineWidth: width, priceLineVisible: false, lastValueVisible: id === 'all', priceFormat: { type: 'volume' } },
        PANE,
      );
    if (venues.length > 1) lines.set('all', line('all', ALL, 2));
    for (const venue of venues) lines.set(venue.id, line(venue.id, venueColour(venue.exchange), 1));
    const pane = chart.panes()[PANE];
    const box = chart.chartElement().parentElement;
    pane?.setHeight(Math.max(60, Math.round((box?.clientHeight ?? 300) * 0.24)));
    let alive = true;
    let busy = false;
    let dirty = true;
    const draw = (): void => {
      const perVenue = venues.map((venue) => ({ venue, points: cvdLine(held.get(venue.id) ?? { since: null, buckets: [], holes: [] }, venue, period) }));
      for (const { venue, points } of perVenue) lines.get(venue.id)?.setData(toData(points, venueColour(venue.exchange)));
      const all = venues.length > 1 ? aggregateCvd(perVenue.map((v) => v.points)) : undefined;
      if (all !== undefined) lines.get('all')?.setData(toData(all, ALL));
      const rows: LegendRow[] = perVenue.map(({ venue, points }) => ({
        id: venue.id,
        // Two instruments of one venue (spot and perpetual) are told apart.
        name: `${venue.venue}${venue.kind === 'perpetual' ? ' perp' : venue.kind === 'future' ? ' future' : ''}`,
        exchange: venue.exchange,
        value: points.at(-1)?.value,
        partial: points.at(-1)?.partial ?? false,
      }));
      if (all !== undefined) rows.unshift({ id: 'all', name: 'All', exchange: undefined, value: all.at(-1)?.value, partial: all.some((p) => p.partial) });
      const since = all?.[0]?.time ?? perVenue[0]?.points[0]?.time;
      setLegend({ rows, since });
    };
    const refresh = async (): Promise<void> => {
      if (busy || !dirty) return;
      busy = true;
      dirty = false;
      try {
        await Promise.all(
          venues.map(async (venue) => {
            const before = held.get(venue.id);
            // The newest period is still filling: ask again from it.
            const from = before?.buckets.at(-1)?.[0];
            const result = await client.call('getFlow', { id: venue.id, timeframe, ...(from === undefined ? {} : { from }) });
            if (result.ok) held.set(venue.id, mergeFlow(before, result.value, from));
          }),
        );
        if (alive) draw();
      } finally {
        busy = false;
      }
    };
    const ids = new Set(venues.map((v) => v.id));
    const off = useMarket.subscribe((state, previous) => {
      if (dirty) return;
      for (const id of ids) if (state.trades[id] !== previous.trades[id] || state.statuses[id] !== previous.statuses[id]) dirty = true;
    });
    void refresh();
    const timer = setInterval(() => void refresh(), REFRESH_MS);
    return () => {
      alive = false;
      clearInterval(timer);
      off();
      // The chart may be gone already (the candle chart unmounting): nothing left to remove then.
      try {
        for (const series of lines.values()) chart.removeSeries(series);
      } catch {
        // removed with the chart
      }
    };
    // `key` stands for `venues` (same ids, same lines): a new watchlist array alone redraws nothing.
  }, [chart, client, key, timeframe, on]);

  if (!on) {
    return (
      <div className="cvd-legend muted">
        <button type="button" className="link" onClick={() => setOn(true)}>
          Show CVD
        </button>
      </div>
    );
  }
  const unit = item.base ?? item.sizeUnit ?? '';
  return (
    <div className="cvd-legend" data-testid="cvd-legend">
      <span className="muted" title="Cumulative volume delta: taker buys minus taker sells, in the base asset, since the host began counting every venue">
        CVD{legend.since === undefined ? '' : ` since ${new Date(legend.since).toLocaleTimeString([], { hour12: false, hour: '2-digit', minute: '2-digit' })}`}
      </span>
      {legend.rows.map((row) => (
        <span
          key={row.id}
          className={`cvd-venue${row.exchange === undefined ? ' cvd-all' : ` venue-${row.exchange}`}${row.partial ? ' partial' : ''}`}
          data-venue={row.exchange ?? 'all'}
          data-value={row.value ?? ''}
          title={row.partial ? 'Trades may be missing: the feed was not live during part of this period' : undefined}
        >
          {row.name} <b>{row.value === undefined ? '—' : `${row.value >= 0 ? '+' : ''}${formatCompact(row.value)}`}</b>
          {row.partial ? ' · gap' : ''}
        </span>
      ))}
      <span className="muted">{unit}</span>
      <button type="button" className="link" onClick={() => setOn(false)}>
        Hide
      </button>
    </div>
  );
}
