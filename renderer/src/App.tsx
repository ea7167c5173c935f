// The first UI: connection state, the watchlist with each collector's health, adding and
// removing symbols, and the selected symbol's top of book. The full trading views (ladder,
// depth, tape, candles, health panel) build on this.

import { useEffect, useState, type FormEvent } from 'react';
import type { BookFrame, CollectorStatus, TickerFrame, WatchlistItem } from '../../main/contract';
import type { ConnectionState, HostClient } from './api/client';

export function App({ client }: { client: HostClient }) {
  const [connection, setConnection] = useState<ConnectionState>(client.connection());
  const [watchlist, setWatchlist] = useState<WatchlistItem[]>([]);
  const [statuses, setStatuses] = useState<Record<string, CollectorStatus>>({});
  const [books, setBooks] = useState<Record<string, BookFrame>>({});
  const [tickers, setTickers] = useState<Record<string, TickerFrame>>({});
  const [selected, setSelected] = useState<string | undefined>();
  const [symbol, setSymbol] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const offConnection = client.onConnection(setConnection);
    const load = (): void => {
      void client.call('getWatchlist', {}).then((result) => {
        if (result.ok) setWatchlist(result.value);
      });
    };
    load();
    const offConnectionReload = client.onConnection((state) => {
      if (state === 'open') load();
    });
    const offWatchlist = client.on('watchlist', setWatchlist);
    const offFrame = client.on('frame', (frame) => {
      if (frame.books.length > 0) setBooks((old) => ({ ...old, ...Object.fromEntries(frame.books.map((b) => [b.id, b])) }));
      if (frame.tickers.length > 0) setTickers((old) => ({ ...old, ...Object.fromEntries(frame.tickers.map((t) => [t.id, t])) }));
      if (frame.statuses !== null) setStatuses(Object.fromEntries(frame.statuses.map((s) => [s.id, s])));
    });
    return () => {
      offConnection();
      offConnectionReload();
      offWatchlist();
      offFrame();
    };
  }, [client]);

  const current = selected ?? watchlist[0]?.id;

  async function add(event: FormEvent): Promise<void> {
    event.preventDefault();
    setBusy(true);
    const result = await client.call('addSymbol', { exchange: 'okx', symbol });
    setBusy(false);
    if (result.ok) {
      setError(undefined);
      setSymbol('');
      setSelected(result.value.id);
    } else {
      setError(result.error.message);
    }
  }

  async function act(command: 'removeSymbol' | 'restartCollector' | 'startCollector' | 'stopCollector', id: string): Promise<void> {
    const result = await client.call(command, { id });
    if (!result.ok) setError(result.error.message);
  }

  return (
    <div className="app">
      <header className="topbar">
        <h1>Ticker Deck</h1>
        <span className={`connection connection-${connection}`} data-testid="connection">
          {connection === 'open' ? `connected (${client.transport})` : connection}
        </span>
      </header>
      <main className="layout">
        <section className="panel watchlist" aria-label="Watchlist">
          <form onSubmit={(e) => void add(e)} className="add-symbol">
            <input aria-label="Symbol" placeholder="Add symbol, e.g. ETH-USDT" value={symbol} onChange={(e) => setSymbol(e.target.value)} />
            <button type="submit" disabled={busy || symbol.trim() === ''}>Add</button>
          </form>
          {error !== undefined && <p className="error" role="alert">{error}</p>}
          <table>
            <thead>
              <tr><th>Symbol</th><th>Last</th><th>Status</th><th>Book</th><th /></tr>
            </thead>
            <tbody>
              {watchlist.map((item) => {
                const status = statuses[item.id];
                return (
                  <tr key={item.id} data-testid={`row-${item.symbol}`} className={item.id === current ? 'selected' : ''} onClick={() => setSelected(item.id)}>
                    <td>{item.symbol}</td>
                    <td className="num">{tickers[item.id]?.lastStr ?? '—'}</td>
                    <td><span className={`dot dot-${status?.status ?? 'stopped'}`} /> {status?.status ?? '…'}</td>
                    <td>{books[item.id]?.state ?? '—'}</td>
                    <td className="actions">
                      <button type="button" onClick={(e) => { e.stopPropagation(); void act('restartCollector', item.id); }}>Restart</button>
                      <button type="button" aria-label={`Remove ${item.symbol}`} onClick={(e) => { e.stopPropagation(); void act('removeSymbol', item.id); }}>✕</button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </section>
        <section className="panel book" aria-label="Order book">
          {current === undefined ? <p>Add a symbol to see its order book.</p> : <TopOfBook book={books[current]} />}
        </section>
      </main>
    </div>
  );
}

function TopOfBook({ book }: { book: BookFrame | undefined }) {
  if (book === undefined) return <p>Waiting for the book…</p>;
  if (book.state !== 'valid') return <p className="stale" data-testid="book-state">Book {book.state}: not live</p>;
  const asks = book.asks.slice(0, 12).reverse();
  const bids = book.bids.slice(0, 12);
  return (
    <table className="ladder" data-testid="ladder">
      <tbody>
        {asks.map(([price, size]) => (
          <tr key={`a${price}`} className="ask"><td className="num">{price}</td><td className="num">{size}</td></tr>
        ))}
        {bids.map(([price, size]) => (
          <tr key={`b${price}`} className="bid"><td className="num">{price}</td><td className="num">{size}</td></tr>
        ))}
      </tbody>
    </table>
  );
}
