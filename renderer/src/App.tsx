// The app shell: connects the stores to the host, tells it which books are drawn, and lays
// out the top bar, the notices and the workspace of panes.

import { useEffect } from 'react';
import type { HostClient } from './api/client';
import { ClientContext, useClient } from './api/context';
import { AlertToasts } from './components/AlertsPanel';
import { SymbolPalette } from './components/SymbolPalette';
import { Workspace } from './components/Workspace';
import { WorkspaceBar } from './components/WorkspaceBar';
import { instrumentsOf } from './lib/asset-flow';
import { activeWorkspace } from './lib/workspace-layout';
import { startFramePump } from './store/frame-pump';
import { histories } from './store/history';
import { useMarket } from './store/market';
import { useSession } from './store/session';
import { connectAlerts } from './store/alerts';
import { connectWorkspaces, useWorkspace } from './store/workspace';

/**
 * Tells the host which books the page draws (the selected symbol's, or its asset's on every
 * venue for the consolidated book), again after each reconnection: those come at the frame
 * rate, the others' at most twice a second.
 */
function Focus({ client }: { client: HostClient }): null {
  const connection = useSession((s) => s.connection);
  const panes = useWorkspace((s) => activeWorkspace(s.state).panes);
  // Every book a pane draws: its symbol's, and with the consolidated book every venue's of its asset.
  const ids = useSession((s) => {
    const wanted = new Set<string>();
    for (const pane of panes) {
      const drawsBook =
        pane.kind === 'book' ||
        pane.kind === 'consolidated' ||
        pane.kind === 'depth' ||
        pane.kind === 'heatmap' ||
        (pane.kind === 'candles' && s.chartView === 'heatmap');
      if (!drawsBook) continue;
      const item = s.watchlist.find((w) => w.id === (pane.symbol ?? s.selectedId));
      if (item === undefined) continue;
      wanted.add(item.id);
      const merged = pane.kind === 'consolidated' || (pane.kind === 'book' && s.bookMode === 'asset');
      if (merged && item.base !== undefined && item.replayOf === undefined) for (const i of instrumentsOf(s.watchlist, item.base)) wanted.add(i.id);
    }
    return [...wanted].sort().join('\n');
  });
  useEffect(() => {
    if (connection !== 'open') return;
    void client.call('setFocus', { ids: ids === '' ? [] : ids.split('\n') });
  }, [client, ids, connection]);
  return null;
}

export function App({ client }: { client: HostClient }) {
  useEffect(() => {
    const session = useSession.getState();
    const load = (): void => {
      void client.call('getWatchlist', {}).then((r) => r.ok && useSession.getState().setWatchlist(r.value));
      void client.call('listExchanges', {}).then((r) => r.ok && useSession.getState().setExchanges(r.value));
      void client.call('getRecording', {}).then((r) => r.ok && useSession.getState().setRecording(r.value));
      void client.call('getNotices', {}).then((r) => r.ok && useSession.getState().setNotices(r.value));
      void client.call('getReplay', {}).then((r) => r.ok && useSession.getState().setReplay(r.value));
    };
    session.setConnection(client.connection());
    if (client.connection() === 'open') load();
    const offConnection = client.onConnection((state) => {
      useSession.getState().setConnection(state);
      if (state === 'open') load();
    });
    const offWatchlist = client.on('watchlist', (items) => {
      // Whatever left the watchlist (a removed symbol, an ended replay) leaves nothing behind.
      const kept = new Set(items.map((i) => i.id));
      for (const old of useSession.getState().watchlist) if (!kept.has(old.id)) useMarket.getState().forget(old.id);
      histories.keep(kept);
      useSession.getState().setWatchlist(items);
    });
    const offRecording = client.on('recording', (state) => useSession.getState().setRecording(state));
    const offReplay = client.on('replay', (state) => useSession.getState().setReplay(state));
    const offNotices = client.on('notices', (notices) => useSession.getState().setNotices(notices));
    const offFrames = startFramePump(client);
    const offWorkspaces = connectWorkspaces(client);
    const offAlerts = connectAlerts(client);
    return () => {
      offAlerts();
      offWorkspaces();
      offConnection();
      offWatchlist();
      offRecording();
      offReplay();
      offNotices();
      offFrames();
    };
  }, [client]);

  return (
    <ClientContext.Provider value={client}>
      <div className="app">
        <TopBar transport={client.transport} />
        <Notices />
        <Focus client={client} />
        <SymbolPalette />
        <AlertToasts />
        <main className="layout">
          <Workspace />
        </main>
      </div>
    </ClientContext.Provider>
  );
}

/** Host notices (a full disk, a damaged file) until the trader dismisses them. */
function Notices() {
  const client = useClient();
  const notices = useSession((s) => s.notices);
  if (notices.length === 0) return null;
  return (
    <div className="notices" role="alert" data-testid="notices">
      {notices.slice(-3).map((notice) => (
        <p key={notice.id} className={`notice notice-${notice.level}`} data-testid="notice">
          <span>{notice.message}</span>
          <button type="button" className="icon" aria-label="Dismiss" onClick={() => void client.call('dismissNotice', { id: notice.id })}>
            ✕
          </button>
        </p>
      ))}
      {notices.length > 3 && <p className="notice muted">and {notices.length - 3} earlier</p>}
    </div>
  );
}

/** The replay in the top bar, wherever the trader is: what plays, how far, and a way to stop it. */
function ReplayTag() {
  const client = useClient();
  const replay = useSession((s) => s.replay);
  if (replay === null) return null;
  return (
    <span className="replay-tag top" data-testid="replay-top">
      REPLAY {replay.sessionName} · {replay.state}
      <button type="button" className="icon" aria-label="Stop replay" onClick={() => void client.call('stopReplay', {})}>
        ■
      </button>
    </span>
  );
}

function TopBar({ transport }: { transport: HostClient['transport'] }) {
  const connection = useSession((s) => s.connection);
  const recording = useSession((s) => (s.recording?.active ?? null) !== null);
  const replay = useSession((s) => s.replay);
  return (
    <header className="topbar">
      <h1>Ticker Deck</h1>
      {recording && (
        <span className="rec-dot" data-testid="rec-indicator">
          ● REC
        </span>
      )}
      {replay !== null && <ReplayTag />}
      <WorkspaceBar />
      <span className={`connection connection-${connection}`} data-testid="connection">
        {connection === 'open'
          ? `connected${transport === 'websocket' ? ' (browser)' : ''}`
          : connection === 'closed'
            ? 'disconnected — retrying'
            : 'connecting…'}
      </span>
    </header>
  );
}
