// Watchlist: every symbol with last price, 24h change and a health dot; a search box fed by
// the exchange's instrument list to add symbols (errors shown inline); remove by button or by
// the Delete key on a focused row.

import { memo, useEffect, useId, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { WatchlistItem } from '../../../main/contract';
import { instrumentLabel } from '../../../main/contract';
import { useClient } from '../api/context';
import { useInstrumentSearch } from '../api/instrument-search';
import { changePercent, decimalsOf, formatFixed, streamFreshness } from '../lib/format';
import { useHostNow, useMarket } from '../store/market';
import { useSession } from '../store/session';

export function Watchlist() {
  const watchlist = useSession((s) => s.watchlist);
  return (
    <section className="panel watchlist" aria-label="Watchlist">
      <h2>Watchlist</h2>
      <SymbolSearch />
      <table className="watch-table">
        <thead>
          <tr>
            <th>Symbol</th>
            <th className="num">Last</th>
            <th className="num">24h</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {watchlist.map((item) => (
            <WatchRow key={item.id} item={item} />
          ))}
        </tbody>
      </table>
      {watchlist.length === 0 && <p className="muted">Nothing watched yet: add a symbol above.</p>}
    </section>
  );
}

const WatchRow = memo(function WatchRow({ item }: { item: WatchlistItem }) {
  const client = useClient();
  const selected = useSession((s) => s.selectedId === item.id);
  const select = useSession((s) => s.select);
  const ticker = useMarket((s) => s.tickers[item.id]);
  const fullStatus = useMarket((s) => s.statuses[item.id]);
  const status = fullStatus?.status;
  const now = useHostNow();
  const fresh = item.replayOf !== undefined ? { live: false, label: `replay of ${item.replayOf}` } : streamFreshness(fullStatus, 'ticker', now);
  const bookState = useMarket((s) => s.books[item.id]?.state);
  const [error, setError] = useState<string | undefined>();
  const last = ticker === undefined ? undefined : Number(ticker.last);
  const decimals = decimalsOf(item.tickSize, ticker === undefined ? 2 : (ticker.last.split('.')[1]?.length ?? 0));
  const change = changePercent(last, ticker?.open24h);

  async function remove(): Promise<void> {
    const result = await client.call('removeSymbol', { id: item.id });
    if (result.ok) useMarket.getState().forget(item.id);
    else setError(result.error.message);
  }

  function onKey(event: KeyboardEvent<HTMLTableRowElement>): void {
    if (event.key === 'Delete' || event.key === 'Backspace') void remove();
    else if (event.key === 'Enter' || event.key === ' ') select(item.id);
  }

  const health = status ?? 'stopped';
  // Running with a book that is not live (stale, syncing, invalid) is not healthy.
  const healthy = health === 'running' && (bookState === undefined || bookState === 'valid' || bookState === 'none');
  return (
    <tr
      className={selected ? 'selected' : undefined}
      tabIndex={0}
      aria-selected={selected}
      data-testid={`watch-${item.symbol}`}
      data-feed={item.id}
      onClick={() => select(item.id)}
      onKeyDown={onKey}
      title={error}
    >
      <td>
        <span
          className={`dot dot-${healthy ? 'running' : health === 'running' ? 'stale' : health}`}
          aria-label={`health ${health}${health === 'running' && !healthy ? `, book ${bookState ?? ''}` : ''}`}
          title={`${health}${bookState === undefined || bookState === 'none' ? '' : ` · book ${bookState}`}`}
          data-testid="health-dot"
        />
        <span title={item.label}>{item.symbol}</span>
        <span className="venue-tag">{item.venue}</span>
        {item.source === 'nats' && (
          <span className="venue-tag" title="Taken from the cluster's collector nodes" data-testid="via-node">
            via {fullStatus?.via ?? 'no node yet'}
          </span>
        )}
        {item.replayOf !== undefined && (
          <span className="replay-tag" title={`Replay of ${item.replayOf}`}>
            REPLAY
          </span>
        )}
      </td>
      <td className={fresh.live ? 'num' : 'num not-live'} data-testid="last" data-live={fresh.live} title={fresh.label}>
        {formatFixed(last, decimals)}
      </td>
      <td className={`num ${change === undefined || Math.abs(change) < 0.005 ? '' : change > 0 ? 'up' : 'down'}`}>{formatChange(change)}</td>
      <td className="row-actions">
        <button
          type="button"
          className="icon"
          aria-label={item.replayOf === undefined ? `Remove ${item.symbol} (${item.venue})` : `Stop the replay of ${item.replayOf}`}
          title={item.replayOf === undefined ? 'Remove' : 'Stop the replay (removes its feeds)'}
          onClick={(e) => {
            e.stopPropagation();
            void remove();
          }}
        >
          ✕
        </button>
      </td>
    </tr>
  );
});

/**
 * Adds symbols: type a venue's own id and press Add (on the chosen exchange), or pick one of the
 * suggestions, which come from every venue's instrument list and name the venue.
 */
function SymbolSearch() {
  const client = useClient();
  const exchanges = useSession((s) => s.exchanges);
  const select = useSession((s) => s.select);
  const [exchange, setExchange] = useState('okx');
  const [query, setQuery] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  // A host on a cluster can take a symbol from its collector nodes instead of the exchange.
  const [cluster, setCluster] = useState(false);
  const [fromCluster, setFromCluster] = useState(false);
  const listId = useId();
  useEffect(() => {
    void client.call('getCluster', {}).then((r) => setCluster(r.ok && r.value !== null));
  }, [client]);
  const venueName = (id: string): string => exchanges.find((x) => x.id === id)?.displayName ?? id;

  // Across every venue: the same asset on each exchange side by side.
  const [suggestions, setSuggestions] = useInstrumentSearch(client, query);

  /** `searched`: the text the suggestion was picked for (it is done with once the pick is added). */
  async function addOne(onExchange: string, symbol: string, searched?: string): Promise<void> {
    setBusy(true);
    const result = await client.call('addSymbol', { exchange: onExchange, symbol, ...(cluster && fromCluster ? { source: 'nats' as const } : {}) });
    setBusy(false);
    if (result.ok) {
      setError(undefined);
      setSuggestions([]);
      // The trader may already be typing the next symbol: keep that.
      setQuery((current) => (current.trim() === symbol || current === searched ? '' : current));
      select(result.value.id);
    } else {
      setError(result.error.message);
    }
  }

  function add(event: FormEvent): void {
    event.preventDefault();
    const submitted = query.trim();
    if (submitted !== '') void addOne(exchange, submitted);
  }

  return (
    <form className="symbol-search" onSubmit={add}>
      <div className="search-row">
        <select aria-label="Exchange" value={exchange} onChange={(e) => setExchange(e.target.value)}>
          {(exchanges.length === 0 ? [{ id: 'okx', displayName: 'OKX' }] : exchanges).map((x) => (
            <option key={x.id} value={x.id}>
              {x.displayName}
            </option>
          ))}
        </select>
        <input
          aria-label="Add symbol"
          placeholder="Search or type a symbol"
          aria-controls={listId}
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setError(undefined);
          }}
          aria-invalid={error !== undefined}
        />
        <button type="submit" disabled={busy || query.trim() === ''}>
          Add
        </button>
      </div>
      {cluster && (
        <label className="compact" title="Collected by the cluster's collector nodes and taken from NATS, not from the exchange">
          <input type="checkbox" checked={fromCluster} onChange={(e) => setFromCluster(e.target.checked)} /> from the cluster
        </label>
      )}
      {suggestions.length > 0 && (
        <ul className="suggestions" id={listId} role="listbox" aria-label="Matching instruments" data-testid="suggestions">
          {suggestions.map((s) => (
            <li key={`${s.exchange}:${s.symbol}`} role="option" aria-selected={false}>
              <button
                type="button"
                disabled={busy}
                onClick={() => void addOne(s.exchange, s.symbol, query)}
                title={`${s.symbol} on ${venueName(s.exchange)} · tick ${s.tickSize}`}
              >
                {instrumentLabel(s, venueName(s.exchange))} <span className="muted">{s.symbol}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {error !== undefined && (
        <p className="error" role="alert" data-testid="add-error">
          {error}
        </p>
      )}
    </form>
  );
}

function formatChange(change: number | undefined): string {
  if (change === undefined) return '—';
  if (Math.abs(change) < 0.005) return '0.00%';
  return `${change > 0 ? '+' : ''}${change.toFixed(2)}%`;
}
