// The workspace: the active layout's panes on a grid of 24 columns by 24 rows a screen, the
// rows' height following the window (so a layout fits 1280×800 and scales to 2560×1440; panes
// may also reach a screen below, which scrolls). Locked by default; "Edit layout" lets panes be
// moved by their grip, resized from their corner, pinned to a symbol and removed. Drawn by
// react-grid-layout.

import { useMemo, type ReactNode } from 'react';
import GridLayout, { verticalCompactor, type Layout } from 'react-grid-layout';
import { GRID_COLS, GRID_ROWS, MAX_GRID_ROWS, type Pane, type WatchlistItem } from '../../../main/contract';
import { useSize } from '../lib/hooks';
import { activeWorkspace, applyLayout, editActive, paneInfo, removePane, setPaneSymbol } from '../lib/workspace-layout';
import { useSession } from '../store/session';
import { useWorkspace } from '../store/workspace';
import { AlertsPanel } from './AlertsPanel';
import { BottomPanel } from './BottomPanel';
import { HealthPanel } from './HealthPanel';
import { CandleChart, DepthChart, Heatmap, Loaded, SessionsPanel } from './Loaded';
import { OrderBook } from './OrderBook';
import { PaneContext, type PaneFixed } from './pane-context';
import { TradesTape } from './TradesTape';
import { VenueStrip } from './VenueStrip';
import { Watchlist } from './Watchlist';

const MARGIN = 6;

export function Workspace() {
  const state = useWorkspace((s) => s.state);
  const editing = useWorkspace((s) => s.editing);
  const change = useWorkspace((s) => s.change);
  const loaded = useWorkspace((s) => s.loaded);
  const workspace = activeWorkspace(state);
  const [boxRef, size] = useSize<HTMLDivElement>();
  // A pixel short of the window: rounding never makes the grid overflow it (a scrollbar would narrow every pane).
  const rowHeight = Math.max(12, (size.height - MARGIN * (GRID_ROWS + 1) - 1) / GRID_ROWS);
  const layout = useMemo<Layout>(() => workspace.panes.map((p) => ({ i: p.id, x: p.x, y: p.y, w: p.w, h: p.h, minW: 2, minH: 2 })), [workspace.panes]);
  const onLayoutChange = (next: Layout): void => {
    change((s) => editActive(s, (w) => applyLayout(w, next)));
  };
  return (
    <div className={editing ? 'workspace editing' : 'workspace'} ref={boxRef} data-testid="workspace" data-workspace={workspace.id}>
      {!loaded && <p className="muted workspace-loading">Loading the layout…</p>}
      {loaded && size.width > 0 && (
        <GridLayout
          width={size.width}
          layout={layout}
          gridConfig={{ cols: GRID_COLS, rowHeight, margin: [MARGIN, MARGIN], containerPadding: [MARGIN, MARGIN], maxRows: MAX_GRID_ROWS }}
          dragConfig={{ enabled: editing, handle: '.pane-grip', bounded: false }}
          resizeConfig={{ enabled: editing, handles: ['se'] }}
          compactor={verticalCompactor}
          onLayoutChange={onLayoutChange}
        >
          {workspace.panes.map((pane) => (
            <div
              key={pane.id}
              className="pane"
              data-pane-id={pane.id}
              data-pane-kind={pane.kind}
              data-grid-x={pane.x}
              data-grid-y={pane.y}
              data-grid-w={pane.w}
              data-grid-h={pane.h}
            >
              {editing && <PaneToolbar pane={pane} />}
              <PaneBody pane={pane} />
            </div>
          ))}
        </GridLayout>
      )}
    </div>
  );
}

/** Shown while editing: the grip to move the pane by, its symbol, and a way to remove it. */
function PaneToolbar({ pane }: { pane: Pane }) {
  const change = useWorkspace((s) => s.change);
  const watchlist = useSession((s) => s.watchlist);
  const info = paneInfo(pane.kind);
  return (
    <div className="pane-toolbar">
      <span className="pane-grip" title="Drag to move" aria-label={`Move the ${info.title} pane`}>
        ⠿ {info.title}
      </span>
      {info.perSymbol && (
        <select
          aria-label={`Symbol of the ${info.title} pane`}
          value={pane.symbol ?? ''}
          onChange={(e) => change((s) => editActive(s, (w) => setPaneSymbol(w, pane.id, e.target.value === '' ? null : e.target.value)))}
        >
          <option value="">Selected symbol</option>
          {watchlist.map((item) => (
            <option key={item.id} value={item.id}>
              {item.label}
            </option>
          ))}
        </select>
      )}
      <button
        type="button"
        className="icon"
        aria-label={`Remove the ${info.title} pane`}
        onClick={() => change((s) => editActive(s, (w) => removePane(w, pane.id)))}
      >
        ✕
      </button>
    </div>
  );
}

const FIXED: Partial<Record<Pane['kind'], PaneFixed>> = {
  consolidated: { book: 'asset' },
  assetTape: { tape: 'asset' },
  heatmap: { chart: 'heatmap' },
};
const NONE: PaneFixed = {};

/** The pane's view, for its pinned symbol or the selected one. */
function PaneBody({ pane }: { pane: Pane }) {
  const selectedId = useSession((s) => s.selectedId);
  const id = pane.symbol ?? selectedId;
  const item = useSession((s) => s.watchlist.find((w) => w.id === id));
  const chartView = useSession((s) => s.chartView);
  const content = ((): ReactNode => {
    switch (pane.kind) {
      case 'watchlist':
        return <Watchlist />;
      case 'health':
        return <HealthPanel />;
      case 'sessions':
        return (
          <Loaded what="sessions">
            <SessionsPanel />
          </Loaded>
        );
      case 'panel':
        return <BottomPanel />;
      case 'alerts':
        return <AlertsPanel />;
      default:
        break;
    }
    if (item === undefined) return <NoSymbol pane={pane} />;
    switch (pane.kind) {
      default:
        return <NoSymbol pane={pane} />;
      case 'candles':
        return <Loaded what="charts">{chartView === 'heatmap' ? <Heatmap item={item} /> : <CandleChart item={item} />}</Loaded>;
      case 'heatmap':
        return (
          <Loaded what="heatmap">
            <Heatmap item={item} />
          </Loaded>
        );
      case 'depth':
        return (
          <Loaded what="depth chart">
            <DepthChart item={item} />
          </Loaded>
        );
      case 'book':
      case 'consolidated':
        return <OrderBook item={item} />;
      case 'tape':
      case 'assetTape':
        return <TradesTape item={item} />;
      case 'venues':
        return <VenueStrip item={item} />;
    }
  })();
  return (
    <PaneContext.Provider value={FIXED[pane.kind] ?? NONE}>
      {pane.symbol !== null && item !== undefined && <PinnedTag item={item} />}
      {content}
    </PaneContext.Provider>
  );
}

function PinnedTag({ item }: { item: WatchlistItem }) {
  return (
    <span className="pane-pin" title="This pane shows this symbol whatever is selected" data-testid="pane-pin">
      {item.label}
    </span>
  );
}

function NoSymbol({ pane }: { pane: Pane }) {
  const info = paneInfo(pane.kind);
  return (
    <section className="panel empty-views" aria-label={info.title}>
      <p className="muted">
        {pane.symbol === null
          ? `Add a symbol to see its ${info.title.toLowerCase()}.`
          : `${pane.symbol} is not in the watchlist: add it again, or pin this pane to another symbol.`}
      </p>
    </section>
  );
}
