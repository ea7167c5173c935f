// Health panel: one row per collector — status, uptime, messages/s, last message age, exchange
// lag, reconnects, resyncs, checksum and sequence failures, the last error — with start, stop
// and restart buttons.

import { useState } from 'react';
import type { CollectorStatus } from '../../../main/contract';
import { useClient } from '../api/context';
import { bookHealthText, collectorHealthText, formatDuration } from '../lib/format';
import { useHostNow, useMarket } from '../store/market';
import { useSession } from '../store/session';

export function HealthPanel() {
  const watchlist = useSession((s) => s.watchlist);
  const statuses = useMarket((s) => s.statuses);
  const frames = useMarket((s) => s.framesReceived);
  const coalesced = useMarket((s) => s.framesCoalesced);
  return (
    <section className="panel health" aria-label="Collector health">
      <header className="panel-head">
        <h2>Health</h2>
        <span className="muted" data-testid="frame-stats">{frames} frames · {coalesced} coalesced</span>
      </header>
      <table className="health-table" data-testid="health">
        <thead>
          <tr>
            <th>Collector</th><th>Status</th><th>Book</th><th className="num">Uptime</th><th className="num">Msg/s</th><th className="num">Last msg</th>
            <th className="num">Lag</th><th className="num">Reconn.</th><th className="num">Restarts</th><th className="num">Resyncs</th><th className="num">Cksum/seq</th><th className="num">Dropped</th><th>Last error</th><th />
          </tr>
        </thead>
        <tbody>
          {watchlist.map((item) => (
            <HealthRow key={item.id} id={item.id} label={`${item.replayOf === undefined ? '' : 'REPLAY '}${item.exchange.toUpperCase()} ${item.symbol}`} status={statuses[item.id]} />
          ))}
        </tbody>
      </table>
    </section>
  );
}

function HealthRow({ id, label, status }: { id: string; label: string; status: CollectorStatus | undefined }) {
  const client = useClient();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | undefined>();
  async function run(command: 'startCollector' | 'stopCollector' | 'restartCollector'): Promise<void> {
    setPending(true);
    const result = await client.call(command, { id });
    setPending(false);
    setError(result.ok ? undefined : result.error.message);
  }
  const now = useHostNow();
  const state = status?.status ?? 'starting';
  const book = status?.book ?? null;
  const lastError = error ?? status?.errors.at(-1)?.message;
  const stopped = state === 'stopped';
  return (
    <tr data-testid={`health-${id}`} data-status={state}>
      <td>{label}</td>
      <td title={status === undefined ? undefined : collectorHealthText(status, now)}>
        <span className={`dot dot-${state}`} /> <span data-testid="status">{state}</span>
        {status !== undefined && collectorHealthText(status, now) !== state && <span className="muted" data-testid="status-detail"> {collectorHealthText(status, now).slice(state.length + 3)}</span>}
      </td>
      <td className={book === null || book.state === 'valid' ? '' : 'warn'} data-testid="book" data-state={book?.state ?? 'none'} title={book?.recovery?.reason}>
        {book === null ? '—' : bookHealthText(book, now)}
      </td>
      <td className="num">{formatDuration(status?.uptimeMs ?? null)}</td>
      <td className="num">{status?.messagesPerSecond.toFixed(1) ?? '—'}</td>
      <td className="num">{formatDuration(status?.lastMessageAgeMs ?? null)}</td>
      <td className="num">{formatDuration(status?.exchangeLagMs ?? null)}</td>
      <td className="num" data-testid="reconnects">{status?.reconnects ?? 0}</td>
      <td className="num" data-testid="restarts">{status?.restarts ?? 0}</td>
      <td className="num">{status?.resyncs ?? 0}</td>
      <td className="num">{(status?.checksumFailures ?? 0) + (status?.sequenceGaps ?? 0)}</td>
      <td className="num">{status?.droppedMessages ?? 0}</td>
      <td className="last-error" title={lastError}>{lastError ?? ''}</td>
      <td className="row-actions">
        <button type="button" disabled={pending || !stopped} onClick={() => void run('startCollector')}>Start</button>
        <button type="button" disabled={pending || stopped} onClick={() => void run('stopCollector')}>Stop</button>
        <button type="button" disabled={pending} onClick={() => void run('restartCollector')}>Restart</button>
      </td>
    </tr>
  );
}
