// Venue strip: the selected asset on every venue of the watchlist, side by side: mid, spread in
// basis points, 24 h volume and basis to a chosen reference venue, live; contracts add their
// mark and index price, funding (with the time to settlement) and open interest. A venue that is not
// live is greyed and says why; it has no basis.

import { useMemo, useState } from 'react';
import type { WatchlistItem } from '../../../main/contract';
import { instrumentsOf } from '../lib/asset-flow';
import { formatCompact, formatDuration, formatFixed } from '../lib/format';
import { venueRows, type ContractFigures } from '../lib/venue-strip';
import { useHostNow, useMarket } from '../store/market';
import { useSelected, useSession } from '../store/session';

export function VenueStrip({ item }: { item?: WatchlistItem | undefined } = {}) {
  const current = useSelected();
  const selected = item ?? current;
  const watchlist = useSession((s) => s.watchlist);
  const books = useMarket((s) => s.books);
  const tickers = useMarket((s) => s.tickers);
  const statuses = useMarket((s) => s.statuses);
  const now = useHostNow();
  const [chosen, setChosen] = useState<string | undefined>(undefined);
  const base = selected?.base;
  const instruments = useMemo(() => (base === undefined ? [] : instrumentsOf(watchlist, base)), [watchlist, base]);
  const referenceId = instruments.some((i) => i.id === chosen) ? chosen : selected?.id;
  const rows = venueRows(instruments, (id) => ({ book: books[id], ticker: tickers[id], status: statuses[id] }), referenceId, now);
  const anyContract = rows.some((r) => r.contract !== undefined);
  if (selected === undefined || base === undefined) {
    return (
      <section className="panel venues" aria-label="Venues">
        <p className="muted">Select a symbol whose instrument list has loaded to compare its venues.</p>
      </section>
    );
  }
  return (
    <section className="panel venues" aria-label="Venues">
      <header className="panel-head">
        <h2>{base} on every venue</h2>
        <label className="compact">
          Basis to
          <select aria-label="Reference venue" value={referenceId} onChange={(e) => setChosen(e.target.value)}>
            {instruments.map((i) => (
              <option key={i.id} value={i.id}>
                {i.label}
              </option>
            ))}
          </select>
        </label>
      </header>
      <table className="venue-table" data-testid="venue-strip">
        <thead>
          <tr>
            <th>Venue</th>
            <th className="num">Mid</th>
            <th className="num">Spread (bp)</th>
            <th className="num">24h vol ({base})</th>
            <th className="num">Basis (bp)</th>
            {anyContract && (
              <>
                <th className="num" title="Mark price (index; mark against index in bp)">
                  Mark (index)
                </th>
                <th className="num" title="Funding rate of the current period, and the time to its settlement">
                  Funding
                </th>
                <th className="num">OI ({base})</th>
              </>
            )}
            <th>State</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.item.id} className={row.live ? '' : 'not-live'} data-venue-row={row.item.id} data-live={row.live}>
              <td>
                <span className={`venue-chip venue-${row.item.exchange}`}>{row.item.label.split(' · ').reverse().join(' · ')}</span>
              </td>
              <td className="num" data-mid={row.mid ?? ''}>
                {row.mid === undefined ? '—' : formatFixed(row.mid, 2)}
              </td>
              <td className="num">{row.spreadBp === undefined ? '—' : row.spreadBp.toFixed(2)}</td>
              <td className="num">{row.volume24h === undefined ? '—' : formatCompact(row.volume24h)}</td>
              <td className="num" data-basis={row.basisBp ?? ''}>
                {row.item.id === referenceId ? 'reference' : row.basisBp === undefined ? '—' : `${row.basisBp >= 0 ? '+' : ''}${row.basisBp.toFixed(2)}`}
              </td>
              {anyContract && <ContractCells figures={row.contract} now={now} />}
              <td className="muted">{row.live ? 'live' : (row.label ?? 'not live')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** A contract's mark (index, premium), funding with the time to settlement, and open interest; dashes for spot. */
function ContractCells({ figures, now }: { figures: ContractFigures | undefined; now: number }) {
  if (figures === undefined) {
    return (
      <>
        <td className="num muted">—</td>
        <td className="num muted">—</td>
        <td className="num muted">—</td>
      </>
    );
  }
  const { mark, index, premiumBp, funding, nextFunding, openInterest } = figures;
  return (
    <>
      <td className="num" data-mark={mark ?? ''} data-index={index ?? ''}>
        {mark === undefined ? '—' : formatCompactPrice(mark)}
        {index !== undefined && (
          <span className="muted">
            {' '}
            ({formatCompactPrice(index)}
            {premiumBp === undefined ? '' : `, ${premiumBp >= 0 ? '+' : ''}${premiumBp.toFixed(1)}`})
          </span>
        )}
      </td>
      <td className={`num ${funding === undefined ? '' : funding >= 0 ? 'up' : 'down'}`} data-funding={funding ?? ''}>
        {funding === undefined ? '—' : `${(funding * 100).toFixed(4)} %`}
        {nextFunding !== undefined && <span className="muted"> in {formatDuration(Math.max(0, nextFunding - now))}</span>}
      </td>
      <td className="num" data-oi={openInterest ?? ''}>
        {openInterest === undefined ? '—' : formatCompact(openInterest)}
      </td>
    </>
  );
}

/** Prices of very different sizes in a narrow cell: two decimals at and above 1, four significant digits below. */
function formatCompactPrice(value: number): string {
  return Math.abs(value) >= 1 ? formatFixed(value, 2) : value.toPrecision(4);
}
