// Venue strip: the selected asset on every venue of the watchlist, side by side: mid, spread in
// basis points, 24 h volume and basis to a chosen reference venue, live. A venue that is not
// live is greyed and says why; it has no basis.

import { useMemo, useState } from 'react';
import { instrumentsOf } from '../lib/asset-flow';
import { formatCompact, formatFixed } from '../lib/format';
import { venueRows } from '../lib/venue-strip';
import { useHostNow, useMarket } from '../store/market';
import { useSelected, useSession } from '../store/session';

export function VenueStrip() {
  const selected = useSelected();
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
              <td className="muted">{row.live ? 'live' : (row.label ?? 'not live')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
