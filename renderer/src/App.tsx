// The app shell: connects the stores to the host and lays out the views — watchlist, candles
// and depth, order book and trades, and the health panel.

import { Component, lazy, Suspense, useEffect, type ReactNode } from 'react';
import type { HostClient } from './api/client';
import { ClientContext, useClient } from './api/context';
import { HealthPanel } from './components/HealthPanel';
import { OrderBook } from './components/OrderBook';
import { TradesTape } from './components/TradesTape';
import { VenueStrip } from './components/VenueStrip';
import { Watchlist } from './components/Watchlist';
import { startFramePump } from './store/frame-pump';
import { histories } from './store/history';
import { useMarket } from './store/market';
import { instrumentsOf } from './lib/asset-flow';
import { useSelected, useSession } from './store/session';

// Loaded when first drawn: the charts (and their charting library) once a symbol is selected,
// the sessions tab when opened. The first screen loads only what it draws.
const CandleChart = lazy(() => import('./components/CandleChart').then((m) => ({ default: m.CandleChart })));
const Heatmap = lazy(() => import('./components/Heatmap').then((m) => ({ default: m.Heatmap })));
const DepthChart = lazy(() => import('./components/DepthChart').then((m) => ({ default: m.DepthChart })));
const SessionsPanel = lazy(() => import('./components/SessionsPanel').then((m) => ({ default: m.SessionsPanel })));

function Loading({ what }: { what: string }) {
  return (
    <section className="panel">
      <p className="muted">Loading {what}…</p>
    </section>
  );
}

/**
 * A lazily loaded part that could not be loaded (the host was updated and its old chunk is
 * gone, the connection dropped) says so in its place; the rest of the app keeps running.
 */
class Loaded extends Component<{ what: string; children: ReactNode }, { failed: string | undefined }> {
  override state: { failed: string | undefined } = { failed: undefined };

  static getDerivedStateFromError(error: unknown): { failed: string } {
    return { failed: error instanceof Error ? error.message : String(error) };
  }

  override render(): ReactNode {
    if (this.state.failed === undefined) return <Suspense fallback={<Loading what={this.props.what} />}>{this.props.children}</Suspense>;
    return (
      <section className="panel" role="alert" data-testid="load-failed">
        <p className="error">
          The {this.props.what} could not be loaded ({this.state.failed}).{' '}
          <button type="button" onClick={() => window.location.reload()}>
            Reload
          </button>
        </p>
      </section>
    );
  }
}

/**
 * Tells the host which books the page draws (the selected symbol's, or its asset's on every
 * venue for the consolidated book), again after each reconnection: those come at the frame
 * rate, the others' at most twice a second.
 */
function Focus({ client }: { client: HostClient }): null {
  const connection = useSession((s) => s.connection);
  // The selected symbol's book, or with the consolidated book every venue's book of its asset.
  const ids = useSession((s) => {
    const selected = s.watchlist.find((w) => w.id === s.selectedId);
    if (selected === undefined) return '';
    if (s.bookMode !== 'asset' || selected.base === undefined) return selected.id;
    return [selected.id, ...instrumentsOf(s.watchlist, selected.base).map((i) => i.id)].filter((id, i, all) => all.indexOf(id) === i).join('\n');
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
    return () => {
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
        <main className="layout">
          <Watchlist />
          <SelectedViews />
          <BottomPanel />
        </main>
      </div>
    </ClientContext.Provider>
  );
}

function BottomPanel() {
  const tab = useSession((s) => s.bottomTab);
  const setTab = useSession((s) => s.setBottomTab);
  const expanded = useSession((s) => s.healthExpanded);
  // Compact by default: the charts and the book get the height; details, venues and sessions take more.
  const tall = tab !== 'health' || expanded;
  return (
    <div className={tall ? 'bottom tall' : 'bottom'}>
      <div className="tabs" role="tablist">
        <button type="button" role="tab" aria-selected={tab === 'health'} onClick={() => setTab('health')}>
          Health
        </button>
        <button type="button" role="tab" aria-selected={tab === 'venues'} onClick={() => setTab('venues')}>
          Venues
        </button>
        <button type="button" role="tab" aria-selected={tab === 'sessions'} onClick={() => setTab('sessions')}>
          Sessions
        </button>
      </div>
      {tab === 'health' ? (
        <HealthPanel />
      ) : tab === 'venues' ? (
        <VenueStrip />
      ) : (
        <Loaded what="sessions">
          <SessionsPanel />
        </Loaded>
      )}
    </div>
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

function SelectedViews() {
  const item = useSelected();
  const chartView = useSession((s) => s.chartView);
  if (item === undefined) {
    return (
      <section className="panel empty-views">
        <p className="muted">Add a symbol to see its order book, trades and candles.</p>
      </section>
    );
  }
  return (
    <>
      <div className="charts">
        <Loaded what="charts">
          {chartView === 'heatmap' ? <Heatmap item={item} /> : <CandleChart item={item} />}
          <DepthChart item={item} />
        </Loaded>
      </div>
      <div className="book-and-tape">
        <OrderBook item={item} />
        <TradesTape item={item} />
      </div>
    </>
  );
}
