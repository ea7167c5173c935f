// Recorded sessions: record and stop (with live counts and the disk budget), the list of
// sessions (rename, replay at 1x/10x/max, export with progress, report, delete).

import { useCallback, useEffect, useRef, useState } from 'react';
import type { SessionMeta, SessionReport } from '../../../main/contract';
// The constants come from their dependency-free module: importing them through the contract
// would bundle its zod schemas into the page.
import { EXPORT_FORMATS, EXPORT_TABLES, formatBytes } from '../../../main/contract';
import { useClient } from '../api/context';
import { formatDuration } from '../lib/format';
import { useSession } from '../store/session';

const LIMITS = [1, 5, 10, 50, 200].map((gib) => gib * 1024 ** 3);
/** Limits of a recording on the cluster: the most it keeps, and for how long (0: until deleted). */
const CLUSTER_SIZES = [1, 10, 50, 200, 1000].map((gib) => gib * 1024 ** 3);
const DAY_MS = 24 * 3600_000;
const CLUSTER_AGES = [DAY_MS, 7 * DAY_MS, 30 * DAY_MS, 0];

function ageLabel(ms: number): string {
  if (ms === 0) return 'until deleted';
  const days = ms / DAY_MS;
  return days >= 1 ? `${days} day${days === 1 ? '' : 's'}` : formatDuration(ms);
}

export function SessionsPanel() {
  const client = useClient();
  const recording = useSession((s) => s.recording);
  const replay = useSession((s) => s.replay);
  const [sessions, setSessions] = useState<SessionMeta[]>([]);
  const [error, setError] = useState<string | undefined>();
  const [name, setName] = useState('');
  const [onCluster, setOnCluster] = useState(false);
  const [clusterBytes, setClusterBytes] = useState(CLUSTER_SIZES[2] ?? 50 * 1024 ** 3);
  const [clusterAge, setClusterAge] = useState(CLUSTER_AGES[1] ?? 0);

  const latest = useRef(0);
  const reload = useCallback(async (): Promise<void> => {
    // Latest request wins: an older answer arriving late never overwrites a newer list.
    const request = ++latest.current;
    const result = await client.call('listSessions', {});
    if (result.ok && request === latest.current) setSessions(result.value);
  }, [client]);

  const active = recording?.active ?? null;
  const clusterActive = recording?.clusterActive ?? null;
  const clusterAvailable = recording?.clusterAvailable ?? false;
  useEffect(() => {
    void reload();
    return client.on('sessions', () => void reload());
  }, [client, reload]);

  async function toggleRecording(): Promise<void> {
    const named = name.trim() === '' ? {} : { name: name.trim() };
    const result =
      active !== null
        ? await client.call('stopRecording', {})
        : onCluster
          ? await client.call('startRecording', { ...named, cluster: { maxBytes: clusterBytes, maxAgeMs: clusterAge } })
          : await client.call('startRecording', named);
    setError(result.ok ? undefined : result.error.message);
    if (result.ok) setName('');
    await reload();
  }

  async function stopClusterRecording(id: string): Promise<void> {
    const result = await client.call('stopRecording', { id });
    setError(result.ok ? undefined : result.error.message);
    await reload();
  }

  // A recording already runs on the cluster: a second one of every feed cannot (the button says so).
  const clusterBusy = onCluster && active === null && clusterActive !== null;

  return (
    <section className="sessions" aria-label="Sessions">
      <div className="sessions-bar">
        {active === null && <input aria-label="Session name" placeholder="Session name (optional)" value={name} onChange={(e) => setName(e.target.value)} />}
        {active === null && clusterAvailable && (
          <label className="compact" title="Record every feed the cluster's nodes collect, kept on the NATS servers; any host can stop, export or replay it">
            <input type="checkbox" aria-label="Record on the cluster" checked={onCluster} onChange={(e) => setOnCluster(e.target.checked)} /> on the cluster
          </label>
        )}
        {active === null && clusterAvailable && onCluster && (
          <>
            <label className="compact">
              keep at most
              <select aria-label="Cluster recording size limit" value={clusterBytes} onChange={(e) => setClusterBytes(Number(e.target.value))}>
                {CLUSTER_SIZES.map((b) => (
                  <option key={b} value={b}>
                    {formatBytes(b)}
                  </option>
                ))}
              </select>
            </label>
            <label className="compact">
              for
              <select aria-label="Cluster recording age limit" value={clusterAge} onChange={(e) => setClusterAge(Number(e.target.value))}>
                {CLUSTER_AGES.map((ms) => (
                  <option key={ms} value={ms}>
                    {ageLabel(ms)}
                  </option>
                ))}
              </select>
            </label>
          </>
        )}
        <button
          type="button"
          className={active === null ? 'record' : 'record on'}
          disabled={clusterBusy}
          title={clusterBusy ? 'A recording already runs on the cluster: stop it first.' : undefined}
          onClick={() => void toggleRecording()}
          data-testid="record-button"
        >
          {active === null ? (onCluster && clusterAvailable ? '● Record on the cluster' : '● Record') : '■ Stop recording'}
        </button>
        {active !== null && (
          <span className="rec-live" data-testid="recording-live">
            REC {active.name} · {active.counts.records.toLocaleString()} records · {formatBytes(active.counts.bytes)}
          </span>
        )}
        {clusterActive !== null && (
          <span className="rec-live" data-testid="cluster-recording-live">
            REC on the cluster {clusterActive.name} · {clusterActive.counts.records.toLocaleString()} records · {formatBytes(clusterActive.counts.bytes)}
            {clusterActive.cluster === undefined ? '' : ` · started by ${clusterActive.cluster.startedBy}`}
            <button type="button" onClick={() => void stopClusterRecording(clusterActive.id)}>
              Stop
            </button>
          </span>
        )}
        {recording !== null && (
          <label className="compact">
            Disk limit
            <select
              aria-label="Recording disk limit"
              value={LIMITS.includes(recording.limitBytes) ? recording.limitBytes : ''}
              onChange={(e) => void client.call('setRecordingLimit', { bytes: Number(e.target.value) }).then((r) => !r.ok && setError(r.error.message))}
            >
              {!LIMITS.includes(recording.limitBytes) && <option value="">{formatBytes(recording.limitBytes)}</option>}
              {LIMITS.map((l) => (
                <option key={l} value={l}>
                  {formatBytes(l)}
                </option>
              ))}
            </select>
            <span className="muted">{formatBytes(recording.usedBytes)} used</span>
          </label>
        )}
        {replay !== null && (
          <span className="replay-live" data-testid="replay-live">
            REPLAY {replay.sessionName} · {replay.speed === 'max' ? 'max speed' : `${replay.speed}x`} · {replay.state} · {replay.played.toLocaleString()}{' '}
            records
            <button type="button" onClick={() => void client.call('stopReplay', {})}>
              Stop replay
            </button>
          </span>
        )}
      </div>
      {recording !== null && recording.warning !== null && (
        <p className="warn" role="alert" data-testid="recording-warning">
          {recording.warning}
        </p>
      )}
      {error !== undefined && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <table className="sessions-table" data-testid="sessions">
        <thead>
          <tr>
            <th>Name</th>
            <th>Started</th>
            <th className="num">Length</th>
            <th>Symbols</th>
            <th className="num">Records</th>
            <th className="num">Size</th>
            <th>State</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {sessions.map((session) => (
            <SessionRow key={session.id} session={session} onChanged={reload} onError={setError} />
          ))}
        </tbody>
      </table>
      {sessions.length === 0 && <p className="muted">No recorded sessions yet.</p>}
    </section>
  );
}

function SessionRow({ session, onChanged, onError }: { session: SessionMeta; onChanged: () => Promise<void>; onError: (message: string | undefined) => void }) {
  const client = useClient();
  const [open, setOpen] = useState<'export' | 'report' | undefined>();
  const [renaming, setRenaming] = useState(false);
  const [newName, setNewName] = useState(session.name);
  const length = session.endedAt === null ? null : session.endedAt - session.startedAt;

  async function run<R>(call: Promise<{ ok: true; value: R } | { ok: false; error: { message: string } }>): Promise<R | undefined> {
    const result = await call;
    onError(result.ok ? undefined : result.error.message);
    return result.ok ? result.value : undefined;
  }

  return (
    <>
      <tr data-testid={`session-${session.name}`}>
        <td>
          {renaming ? (
            <form
              onSubmit={(e) => {
                e.preventDefault();
                void run(client.call('renameSession', { id: session.id, name: newName })).then(() => {
                  setRenaming(false);
                  void onChanged();
                });
              }}
            >
              <input aria-label="New session name" value={newName} onChange={(e) => setNewName(e.target.value)} autoFocus />
            </form>
          ) : (
            <button type="button" className="link" title="Rename" onClick={() => setRenaming(true)}>
              {session.name}
            </button>
          )}
          {session.cluster !== undefined && (
            <span
              className="badge badge-cluster"
              title={`Kept on the cluster (stream ${session.cluster.stream}): at most ${formatBytes(session.cluster.maxBytes)}, ${ageLabel(session.cluster.maxAgeMs)}; started by ${session.cluster.startedBy}`}
            >
              cluster
            </span>
          )}
        </td>
        <td>{new Date(session.startedAt).toLocaleString()}</td>
        <td className="num">{formatDuration(length)}</td>
        <td>{session.feeds.map((f) => f.symbol).join(', ')}</td>
        <td className="num">{session.counts.records.toLocaleString()}</td>
        <td className="num">{formatBytes(session.counts.bytes)}</td>
        <td>
          <span className={`badge badge-${session.state}`} data-testid="session-state">
            {session.state}
            {session.limitReached ? (session.cluster === undefined ? ' (disk limit)' : ' (oldest dropped by its limits)') : ''}
          </span>
        </td>
        <td className="row-actions">
          {(['1', '10', 'max'] as const).map((speed) => (
            <button
              key={speed}
              type="button"
              disabled={session.state === 'recording'}
              onClick={() => void run(client.call('startReplay', { id: session.id, speed }))}
            >
              {speed === 'max' ? 'Replay max' : `Replay ${speed}x`}
            </button>
          ))}
          <button type="button" aria-expanded={open === 'export'} onClick={() => setOpen(open === 'export' ? undefined : 'export')}>
            Export
          </button>
          <button type="button" aria-expanded={open === 'report'} onClick={() => setOpen(open === 'report' ? undefined : 'report')}>
            Report
          </button>
          <button
            type="button"
            aria-label={`Delete ${session.name}`}
            disabled={session.state === 'recording'}
            onClick={() => void run(client.call('deleteSession', { id: session.id })).then(() => onChanged())}
          >
            Delete
          </button>
        </td>
      </tr>
      {open === 'export' && (
        <tr className="detail">
          <td colSpan={8}>
            <ExportForm session={session} />
          </td>
        </tr>
      )}
      {open === 'report' && (
        <tr className="detail">
          <td colSpan={8}>
            <ReportView id={session.id} />
          </td>
        </tr>
      )}
    </>
  );
}

function toLocalInput(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 19);
}

function ExportForm({ session }: { session: SessionMeta }) {
  const client = useClient();
  const [table, setTable] = useState<(typeof EXPORT_TABLES)[number]>('trades');
  const [format, setFormat] = useState<(typeof EXPORT_FORMATS)[number]>('csv');
  const [feeds, setFeeds] = useState<string[]>(session.feeds.map((f) => f.id));
  const [from, setFrom] = useState(toLocalInput(session.startedAt));
  const [to, setTo] = useState(toLocalInput(session.endedAt ?? Date.now()));
  const [progress, setProgress] = useState<number | undefined>();
  const [result, setResult] = useState<{ text: string; href: string | null } | undefined>();
  const [error, setError] = useState<string | undefined>();

  async function start(): Promise<void> {
    setError(undefined);
    setResult(undefined);
    setProgress(0);
    const off = client.on('exportProgress', (p) => setProgress(p.fraction));
    const answer = await client.call('exportSession', {
      id: session.id,
      table,
      format,
      feeds,
      from: new Date(from).getTime(),
      to: new Date(to).getTime() + 999,
    });
    off();
    setProgress(undefined);
    if (!answer.ok) return setError(answer.error.message);
    // The desktop app asked where to save; the trader closed the dialog.
    if (answer.value.cancelled) return;
    setResult({
      text: `${answer.value.rows.toLocaleString()} rows, ${formatBytes(answer.value.bytes)} → ${answer.value.path}`,
      href: answer.value.downloadUrl,
    });
  }

  return (
    <div className="export-form" data-testid="export-form">
      <label>
        Table{' '}
        <select aria-label="Export table" value={table} onChange={(e) => setTable(e.target.value as typeof table)}>
          {EXPORT_TABLES.map((t) => (
            <option key={t}>{t}</option>
          ))}
        </select>
      </label>
      <label>
        Format{' '}
        <select aria-label="Export format" value={format} onChange={(e) => setFormat(e.target.value as typeof format)}>
          {EXPORT_FORMATS.map((f) => (
            <option key={f}>{f}</option>
          ))}
        </select>
      </label>
      {session.feeds.map((feed) => (
        <label key={feed.id}>
          <input
            type="checkbox"
            checked={feeds.includes(feed.id)}
            onChange={(e) => setFeeds(e.target.checked ? [...feeds, feed.id] : feeds.filter((f) => f !== feed.id))}
          />{' '}
          {feed.symbol}
        </label>
      ))}
      <label>
        From <input type="datetime-local" step="1" aria-label="Export from" value={from} onChange={(e) => setFrom(e.target.value)} />
      </label>
      <label>
        To <input type="datetime-local" step="1" aria-label="Export to" value={to} onChange={(e) => setTo(e.target.value)} />
      </label>
      <button type="button" disabled={progress !== undefined || feeds.length === 0} onClick={() => void start()}>
        Export
      </button>
      {progress !== undefined && <progress max={1} value={progress} aria-label="Export progress" />}
      {result !== undefined && (
        <span data-testid="export-result">
          {result.text}{' '}
          {result.href !== null && (
            <a href={result.href} download>
              Download
            </a>
          )}
        </span>
      )}
      {error !== undefined && (
        <span className="error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}

function ReportView({ id }: { id: string }) {
  const client = useClient();
  const [report, setReport] = useState<SessionReport | undefined>();
  useEffect(() => {
    void client.call('getSessionReport', { id }).then((r) => r.ok && setReport(r.value));
  }, [client, id]);
  if (report === undefined) return <p className="muted">Building the report…</p>;
  const cluster = report.cluster;
  const onCluster = cluster !== undefined;
  return (
    <>
      {cluster !== undefined && (
        <p className="muted" data-testid="report-cluster">
          On the cluster, stream {cluster.stream}: kept at most {formatBytes(cluster.maxBytes)}, {ageLabel(cluster.maxAgeMs)}; started by {cluster.startedBy}.{' '}
          {cluster.discarded > 0
            ? `${cluster.discarded.toLocaleString()} messages dropped by these limits: the recording now starts at ${cluster.firstAt === null ? '—' : new Date(cluster.firstAt).toLocaleString()}.`
            : 'Nothing dropped by the limits.'}{' '}
          {report.recordingDropped > 0 ? `${report.recordingDropped.toLocaleString()} messages the nodes published are missing from it.` : ''}
        </p>
      )}
      <table className="report" data-testid="report">
        <thead>
          <tr>
            <th>Feed</th>
            <th className="num">Events</th>
            <th className="num">Raw</th>
            <th className="num">Reconnects</th>
            <th className="num">Gaps</th>
            <th className="num">Resyncs</th>
            <th className="num">Checksum</th>
            <th className="num">Dropped</th>
            {onCluster && <th>Nodes</th>}
            {onCluster && <th className="num">Missing</th>}
            <th>Outages</th>
          </tr>
        </thead>
        <tbody>
          {report.feeds.map((f) => (
            <tr key={f.id}>
              <td>{f.id}</td>
              <td className="num">{f.events}</td>
              <td className="num">{f.rawFrames}</td>
              <td className="num">{f.reconnects}</td>
              <td className="num">{f.sequenceGaps}</td>
              <td className="num">{f.resyncs}</td>
              <td className="num">{f.checksumFailures}</td>
              <td className="num">{f.droppedMessages}</td>
              {onCluster && <td>{(f.nodes ?? []).join(' → ')}</td>}
              {onCluster && <td className="num">{f.missing ?? 0}</td>}
              <td>{f.outages.length === 0 ? 'none' : f.outages.map((o) => `${o.state} ${formatDuration(o.to - o.from)}`).join(', ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
