// A part of the page loaded when first drawn (the charts and their library, the sessions tab):
// a placeholder while it loads, and, when it cannot be loaded (the host was updated and its old
// chunk is gone, the connection dropped), a message in its place; the rest keeps running.

import { Component, Suspense, lazy, type ReactNode } from 'react';

export const CandleChart = lazy(() => import('./CandleChart').then((m) => ({ default: m.CandleChart })));
export const Heatmap = lazy(() => import('./Heatmap').then((m) => ({ default: m.Heatmap })));
export const DepthChart = lazy(() => import('./DepthChart').then((m) => ({ default: m.DepthChart })));
export const SessionsPanel = lazy(() => import('./SessionsPanel').then((m) => ({ default: m.SessionsPanel })));

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
export class Loaded extends Component<{ what: string; children: ReactNode }, { failed: string | undefined }> {
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
