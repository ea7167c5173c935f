// Health of every collector. By default a compact strip, one line per feed: state (with the
// stale streams and the restart plan), book, messages/s, lag, reconnects, restarts and the
// start/stop/restart buttons; what is wrong is spelled out only while something is wrong.
// "Details" expands it to the full table with every counter and each feed's error history.
// The last error of a feed that runs again is history, not a warning in a green row.

import { useState } from 'react';
import type { CollectorStatus, WatchlistItem } from '../../../main/contract';
import { useClient } from '../api/context';
import { bookHealthText, collectorHealthText, formatAge, formatDuration } from '../lib/format';
import { useHostNow, useMarket } from '../store/market';
import { useSession } from '../store/session';

type Command = 'startCollector' | 'stopCollector' | 'restartCollector';

/** A feed is healthy when it runs, nothing is stale and its book (if any) is valid. */
function healthy(status: CollectorStatus | undefined): boolean {
  return status !== undefined && status.status === 'running' && status.staleStreams.length === 0 && (status.book === null || status.book.state === 'valid');
}

/** The error worth showing in the row: the latest, while the feed is not healthy; otherwise none. */
function currentError(status: CollectorStatus | undefined): string | undefined {
  if (status === undefined || healthy(status)) return undefined;
  return status.errors.at(-1)?.message;
}

function labelOf(item: WatchlistItem): string {
  return `${item.replayOf === undefined ? '' : 'REPLAY '}${item.venue} ${item.symbol}`;
}

export function HealthPanel() {
  const watchlist = useSession((s) => s.watchlist);
  const expanded = useSession((s) => s.healthExpanded);
  const setExpanded = useSession((s) => s.setHealthExpanded);
  const statuses = useMarket((s) => s.statuses);
  const frames = useMarket((s) => s.framesReceived);
  const coalesced = useMarket((s) => s.framesCoalesced);
  return (
    <section className={expanded ? 'panel health expanded' : 'panel health health-compact'} aria-label="Collector health">
      <header className="panel-head">
        <h2>Health</h2>
        <span className="muted" data-testid="frame-stats">
          {frames} frames · {coalesced} coalesced
        </span>
        <button type="button" aria-expanded={expanded} onClick={() => setExpanded(!expanded)} data-testid="health-toggle">
          {expanded ? 'Less' : 'Details'}
        </button>
      </header>
      {expanded ? <HealthTable items={watchlist} statuses={statuses} /> : <HealthStrip items={watchlist} statuses={statuses} />}
    </section>
  );
}

function HealthStrip({ items, statuses }: { items: readonly WatchlistItem[]; statuses: Readonly<Record<string, CollectorStatus>> }) {
  const now = useHostNow();
  return (
    <div className="health-strip" data-testid="health">
      {items.map((item) => {
        const status = statuses[item.id];
        const state = status?.status ?? 'starting';
        const book = status?.book ?? null;
        const detail = status === undefined ? '' : collectorHealthText(status, now).slice(state.length + 3);
        const problem = currentError(status);
        return (
          <div key={item.id} className="health-row" data-row data-testid={`health-${item.id}`} data-status={state}>
            <span className="feed" title={labelOf(item)}>
              <span className={`dot dot-${healthy(status) ? 'running' : state === 'running' ? 'stale' : state}`} />
              {labelOf(item)}
              {item.source === 'nats' && (
                <span className={status?.viaHealth === 'running' ? 'muted' : 'warn'} data-testid="via">
                  {' '}
                  · via {status?.via ?? 'no node yet'}
                  {status?.viaHealth === undefined || status.viaHealth === null || status.viaHealth === 'running' ? '' : ` (${status.viaHealth})`}
                </span>
              )}
            </span>
            <span>
              <span data-testid="status">{state}</span>
              {detail !== '' && (
                <span className="muted" data-testid="status-detail">
                  {' '}
                  {detail}
                </span>
              )}
            </span>
            <span
              className={book === null || book.state === 'valid' ? 'muted' : 'warn'}
              data-testid="book"
              data-state={book?.state ?? 'none'}
              title={book?.recovery?.reason}
            >
              {book === null ? '' : `book ${bookHealthText(book, now)}`}
            </span>
            <span className="muted num">
              {status?.messagesPerSecond.toFixed(1) ?? '—'} msg/s · lag {formatDuration(status?.exchangeLagMs ?? null)}
            </span>
            <span className="muted num">
              reconn <span data-testid="reconnects">{status?.reconnects ?? 0}</span> · restarts <span data-testid="restarts">{status?.restarts ?? 0}</span>
            </span>
            <span className="problem" title={problem}>
              {problem ?? ''}
            </span>
            <CollectorButtons id={item.id} state={state} />
          </div>
        );
      })}
      {items.length === 0 && <p className="muted">No feeds.</p>}
    </div>
  );
}

function HealthTable({ items, statuses }: { items: readonly WatchlistItem[]; statuses: Readonly<Record<string, CollectorStatus>> }) {
  const now = useHostNow();
  const [history, setHistory] = useState<string | undefined>();
  return (
    <table className="health-table" data-testid="health">
      <thead>
        <tr>
          <th>Collector</th>
          <th>Status</th>
          <th>Book</th>
          <th className="num">Uptime</th>
          <th className="num">Msg/s</th>
          <th className="num">Last msg</th>
          <th className="num">Lag</th>
          <th className="num">Reconn.</th>
          <th className="num">Restarts</th>
          <th className="num">Resyncs</th>
          <th className="num">Cksum/seq</th>
          <th className="num">Dropped</th>
          <th>Errors</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {items.map((item) => {
          const status = statuses[item.id];
          const state = status?.status ?? 'starting';
          const book = status?.book ?? null;
          const problem = currentError(status);
          const errors = status?.errors ?? [];
          return [
            <tr key={item.id} data-row data-testid={`health-${item.id}`} data-status={state}>
              <td>{labelOf(item)}</td>
              <td>
                <span className={`dot dot-${state}`} /> <span data-testid="status">{state}</span>
                {status !== undefined && collectorHealthText(status, now) !== state && (
                  <span className="muted" data-testid="status-detail">
                    {' '}
                    {collectorHealthText(status, now).slice(state.length + 3)}
                  </span>
                )}
              </td>
              <td
                className={book === null || book.state === 'valid' ? '' : 'warn'}
                data-testid="book"
                data-state={book?.state ?? 'none'}
                title={book?.recovery?.reason}
              >
                {book === null ? '—' : bookHealthText(book, now)}
              </td>
              <td className="num">{formatDuration(status?.uptimeMs ?? null)}</td>
              <td className="num">{status?.messagesPerSecond.toFixed(1) ?? '—'}</td>
              <td className="num">{formatDuration(status?.lastMessageAgeMs ?? null)}</td>
              <td className="num">{formatDuration(status?.exchangeLagMs ?? null)}</td>
              <td className="num" data-testid="reconnects">
                {status?.reconnects ?? 0}
              </td>
              <td className="num" data-testid="restarts">
                {status?.restarts ?? 0}
              </td>
              <td className="num">{status?.resyncs ?? 0}</td>
              <td className="num">{(status?.checksumFailures ?? 0) + (status?.sequenceGaps ?? 0)}</td>
              <td className="num">{status?.droppedMessages ?? 0}</td>
              <td className="last-error" title={problem}>
                {problem !== undefined && <span className="warn">{problem} </span>}
                {errors.length > 0 && (
                  <button
                    type="button"
                    className="link"
                    aria-expanded={history === item.id}
                    onClick={() => setHistory(history === item.id ? undefined : item.id)}
                    data-testid="error-history-toggle"
                  >
                    history ({errors.length})
                  </button>
                )}
              </td>
              <td className="row-actions">
                <CollectorButtons id={item.id} state={state} />
              </td>
            </tr>,
            history === item.id && (
              <tr key={`${item.id}-history`} className="detail">
                <td colSpan={14}>
                  <ol className="error-history" data-testid="error-history">
                    {[...errors].reverse().map((e, i) => (
                      <li key={`${e.at}-${i}`}>
                        <span className="muted">{formatAge(now - e.at)} ago</span> {e.kind}
                        {e.code === null ? '' : ` ${e.code}`}: {e.message}
                      </li>
                    ))}
                  </ol>
                </td>
              </tr>
            ),
          ];
        })}
      </tbody>
    </table>
  );
}

function CollectorButtons({ id, state }: { id: string; state: string }) {
  const client = useClient();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | undefined>();
  async function run(command: Command): Promise<void> {
    setPending(true);
    const result = await client.call(command, { id });
    setPending(false);
    setError(result.ok ? undefined : result.error.message);
  }
  const stopped = state === 'stopped';
  return (
    <span className="row-actions" title={error}>
      <button type="button" disabled={pending || !stopped} onClick={() => void run('startCollector')}>
        Start
      </button>
      <button type="button" disabled={pending || stopped} onClick={() => void run('stopCollector')}>
        Stop
      </button>
      <button type="button" disabled={pending} onClick={() => void run('restartCollector')}>
        Restart
      </button>
    </span>
  );
}
