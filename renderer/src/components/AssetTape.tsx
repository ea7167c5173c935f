// Aggregated tape: every print of one asset (BTC) on every venue of the watchlist, newest
// first, tagged with its venue, coloured by side and drawn larger the larger its notional in
// the quote currency; a notional threshold, an optional tone for prints above a second one,
// and buy/sell volume over the last 1 and 5 minutes. A venue whose trade stream is not live is
// named as such, and its prints greyed: nothing stale passes for live.

import { memo, useEffect, useMemo, useRef } from 'react';
import type { WatchlistItem } from '../../../main/contract';
import { assetTape, instrumentsOf, type AssetPrint } from '../lib/asset-flow';
import { formatCompact, streamFreshness } from '../lib/format';
import { useHeight } from '../lib/hooks';
import { PrintSound } from '../lib/print-sound';
import { useHostNow, useMarket } from '../store/market';
import { useSession } from '../store/session';
import { ThresholdInput } from './book-shared';

const ROW_PX = 19;
const MAX_ROWS = 120;
/** Keys of prints already considered for a tone (bounded). */
const HEARD = 2000;

// To the second on the row (the column is narrow), to the millisecond in its tooltip.
const timeFormat = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
const exactFormat = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit', fractionalSecondDigits: 3, hour12: false });

/** Larger rows for larger prints: 10 K, 100 K and 1 M of the quote currency. */
function tierOf(notional: number): number {
  return notional >= 1_000_000 ? 3 : notional >= 100_000 ? 2 : notional >= 10_000 ? 1 : 0;
}

export function AssetTape({ item }: { item: WatchlistItem }) {
  const watchlist = useSession((s) => s.watchlist);
  const minNotional = useSession((s) => s.minNotional);
  const setMinNotional = useSession((s) => s.setMinNotional);
  const soundNotional = useSession((s) => s.soundNotional);
  const setSoundNotional = useSession((s) => s.setSoundNotional);
  const soundOn = useSession((s) => s.soundOn);
  const setSoundOn = useSession((s) => s.setSoundOn);
  const trades = useMarket((s) => s.trades);
  const flows = useMarket((s) => s.flows);
  const statuses = useMarket((s) => s.statuses);
  const now = useHostNow();
  const [bodyRef, bodyHeight] = useHeight<HTMLDivElement>();
  const fit = bodyHeight > 0 ? Math.max(1, Math.floor(bodyHeight / ROW_PX) - 1) : 30;
  const base = item.base;
  const instruments = useMemo(() => (base === undefined ? [] : instrumentsOf(watchlist, base)), [watchlist, base]);
  const rows = useMemo(
    () =>
      assetTape(
        instruments.map((i) => ({ item: i, trades: trades[i.id] ?? [] })),
        minNotional,
        Math.min(MAX_ROWS, fit),
      ),
    [instruments, trades, minNotional, fit],
  );
  const venues = instruments.map((i) => ({ item: i, fresh: streamFreshness(statuses[i.id], 'trade', now) }));
  const notLive = new Set(venues.filter((v) => !v.fresh.live).map((v) => v.item.id));
  const volume = (seconds: number): { buy: number; sell: number; complete: boolean } => {
    let buy = 0;
    let sell = 0;
    let complete = true;
    for (const i of instruments) {
      const totals = flows[i.id]?.totals(now, seconds, i);
      if (totals === undefined) continue;
      buy += totals.buy;
      sell += totals.sell;
      complete &&= totals.complete;
    }
    return { buy, sell, complete };
  };
  useLoudPrints(rows, soundOn ? soundNotional : null);

  if (base === undefined) {
    return (
      <p className="muted" data-testid="asset-tape-empty">
        The asset of {item.label} is not known yet (its venue’s instrument list has not loaded).
      </p>
    );
  }
  return (
    <div className="asset-tape" data-testid="asset-tape">
      <div className="asset-controls">
        <label className="compact">
          Min
          <ThresholdInput name="Minimum notional" value={minNotional} onChange={setMinNotional} />
        </label>
        <label className="compact">
          <input
            type="checkbox"
            aria-label="Sound for large prints"
            checked={soundOn}
            onChange={(e) => {
              if (e.target.checked) sound.unlock();
              setSoundOn(e.target.checked);
            }}
          />
          Sound ≥
          <ThresholdInput name="Sound threshold" value={soundNotional} onChange={setSoundNotional} />
        </label>
      </div>
      <div className="asset-volume" data-testid="asset-volume">
        {[60, 300].map((seconds) => {
          const v = volume(seconds);
          const lead = v.complete ? '' : '≥ ';
          return (
            <span key={seconds} data-window={seconds} title={v.complete ? undefined : 'Some trades of this window never reached the page: at least this much.'}>
              {seconds / 60}m <span className="bid">buy {lead + formatCompact(v.buy)}</span> <span className="ask">sell {lead + formatCompact(v.sell)}</span>
            </span>
          );
        })}
      </div>
      <div className="asset-venues" data-testid="asset-venues">
        {venues.map(({ item: i, fresh }) => (
          <span
            key={i.id}
            className={`venue-chip venue-${i.exchange}${fresh.live ? '' : ' not-live'}`}
            title={`${i.label}${fresh.live ? '' : ` — ${fresh.label ?? 'not live'}`}`}
          >
            {i.venue}
            {i.kind === 'spot' || i.kind === undefined ? '' : ' perp'}
            {fresh.live ? '' : ` (${fresh.label ?? 'not live'})`}
          </span>
        ))}
      </div>
      <div className="tape-body" ref={bodyRef}>
        <table className="tape-table asset-table" data-testid="asset-rows">
          <thead>
            <tr>
              <th>Venue</th>
              <th className="num">Price</th>
              <th className="num" title="Price × size in the instrument's quote currency">
                Notional
              </th>
              <th className="num">Time</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <AssetLine key={row.key} row={row} live={!notLive.has(row.id)} />
            ))}
          </tbody>
        </table>
        {rows.length === 0 && <p className="muted">{minNotional > 0 ? 'No print this large yet.' : 'No trades yet.'}</p>}
      </div>
    </div>
  );
}

const AssetLine = memo(function AssetLine({ row, live }: { row: AssetPrint; live: boolean }) {
  return (
    <tr
      className={`${row.side === 'buy' ? 'bid' : 'ask'} tier-${tierOf(row.notional)}${live ? '' : ' not-live'}`}
      data-side={row.side}
      data-venue={row.exchange}
    >
      <td>
        <span className={`venue-chip venue-${row.exchange}`}>{row.venue}</span>
      </td>
      <td className="num">{row.price}</td>
      <td className="num" title={`${row.notional.toFixed(2)} ${row.quote}`} data-notional={row.notional}>
        {formatCompact(row.notional)}
        {row.prints > 1 && <span className="muted"> ×{row.prints}</span>}
      </td>
      <td className="num muted" title={exactFormat.format(row.ts)} data-ts={row.ts}>
        {timeFormat.format(row.ts)}
      </td>
    </tr>
  );
});

const sound = new PrintSound();

/** A tone for each new print at or above `threshold` (null: no sound). */
function useLoudPrints(rows: readonly AssetPrint[], threshold: number | null): void {
  const heard = useRef(new Set<string>());
  const primed = useRef(false);
  useEffect(() => {
    const seen = heard.current;
    // The prints already on the tape when sound is turned on (or the page opens) stay quiet.
    const quiet = !primed.current;
    primed.current = threshold !== null;
    for (const row of rows) {
      if (seen.has(row.key)) continue;
      seen.add(row.key);
      if (!quiet && threshold !== null && row.notional >= threshold) sound.play(row.side, threshold > 0 ? row.notional / threshold : 1);
    }
    if (seen.size > HEARD) {
      const keep = [...seen].slice(-HEARD / 2);
      seen.clear();
      for (const key of keep) seen.add(key);
    }
  }, [rows, threshold]);
}
