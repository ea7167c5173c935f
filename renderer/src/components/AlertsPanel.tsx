// Alerts of the active workspace (kept with it): add a price crossing, a large print or a feed
// not live for so long, switch them on and off, remove them; the alerts fired lately; and, in
// a browser, the switch for system notifications. The host runs them (app/host/alert-engine.ts).

import { useState, type FormEvent } from 'react';
import type { AlertKind } from '../../../main/contract';
import { useClient } from '../api/context';
import { addAlert, describeAlert, removeAlert, setAlertEnabled } from '../lib/alert-edit';
import { activeWorkspace, editActive } from '../lib/workspace-layout';
import { useAlerts } from '../store/alerts';
import { useSession } from '../store/session';
import { useWorkspace } from '../store/workspace';

const KINDS: readonly [AlertKind, string, string][] = [
  ['price', 'Price crosses', 'Price'],
  ['print', 'Print of at least', 'Notional'],
  ['stale', 'Feed not live for', 'Seconds'],
];

const time = (ms: number): string => new Date(ms).toLocaleTimeString([], { hour12: false });

export function AlertsPanel() {
  const workspace = useWorkspace((s) => activeWorkspace(s.state));
  const change = useWorkspace((s) => s.change);
  const watchlist = useSession((s) => s.watchlist);
  const selectedId = useSession((s) => s.selectedId);
  const recent = useAlerts((s) => s.recent);
  const [kind, setKind] = useState<AlertKind>('price');
  const [symbol, setSymbol] = useState<string | undefined>(undefined);
  const [value, setValue] = useState('');
  const [direction, setDirection] = useState<'above' | 'below'>('above');
  const [error, setError] = useState<string | undefined>();
  const chosen = symbol ?? selectedId ?? '';
  const label = (id: string): string => watchlist.find((w) => w.id === id)?.label ?? id;
  const quote = (id: string): string | undefined => watchlist.find((w) => w.id === id)?.quote;

  const add = (e: FormEvent): void => {
    e.preventDefault();
    let message: string | undefined;
    const ok = change((s) =>
      editActive(s, (w) => {
        const result = addAlert(w, { kind, symbol: chosen, value, direction });
        if (!result.ok) message = result.message;
        return result;
      }),
    );
    setError(ok ? undefined : message);
    if (ok) setValue('');
  };

  return (
    <section className="panel alerts" aria-label="Alerts">
      <header className="panel-head">
        <h2>Alerts · {workspace.name}</h2>
        <BrowserNotifications />
      </header>
      <form className="alert-form" onSubmit={add}>
        <select aria-label="Alert kind" value={kind} onChange={(e) => setKind(e.target.value as AlertKind)}>
          {KINDS.map(([k, words]) => (
            <option key={k} value={k}>
              {words}
            </option>
          ))}
        </select>
        {kind === 'price' && (
          <select aria-label="Direction" value={direction} onChange={(e) => setDirection(e.target.value === 'below' ? 'below' : 'above')}>
            <option value="above">above</option>
            <option value="below">below</option>
          </select>
        )}
        <input
          aria-label={KINDS.find(([k]) => k === kind)?.[2] ?? 'Value'}
          type="number"
          min="0"
          step="any"
          value={value}
          onChange={(e) => setValue(e.target.value)}
        />
        <select aria-label="Alert symbol" value={chosen} onChange={(e) => setSymbol(e.target.value)}>
          {watchlist
            .filter((w) => w.replayOf === undefined)
            .map((w) => (
              <option key={w.id} value={w.id}>
                {w.label}
              </option>
            ))}
        </select>
        <button type="submit">Add alert</button>
        {error !== undefined && (
          <span className="error" role="alert" data-testid="alert-error">
            {error}
          </span>
        )}
      </form>
      <table className="alert-table" data-testid="alert-list">
        <tbody>
          {workspace.alerts.map((alert) => (
            <tr key={alert.id} data-alert={alert.id} className={alert.enabled ? '' : 'muted'}>
              <td>{label(alert.symbol)}</td>
              <td>{describeAlert(alert, quote(alert.symbol))}</td>
              <td>
                <label className="compact">
                  <input
                    type="checkbox"
                    checked={alert.enabled}
                    onChange={(e) => change((s) => editActive(s, (w) => setAlertEnabled(w, alert.id, e.target.checked)))}
                  />
                  on
                </label>
              </td>
              <td>
                <button
                  type="button"
                  className="icon"
                  aria-label={`Remove the alert ${describeAlert(alert, quote(alert.symbol))}`}
                  onClick={() => change((s) => editActive(s, (w) => removeAlert(w, alert.id)))}
                >
                  ✕
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {workspace.alerts.length === 0 && <p className="muted">No alerts in this workspace yet.</p>}
      <h3>Fired</h3>
      <ul className="fired" data-testid="fired-alerts">
        {[...recent].reverse().map((alert) => (
          <li key={alert.seq} data-kind={alert.kind}>
            <span className="muted">{time(alert.at)}</span> {alert.message}
          </li>
        ))}
      </ul>
      {recent.length === 0 && <p className="muted">Nothing fired yet.</p>}
    </section>
  );
}

/** Serve mode: system notifications through the browser, once the trader allows them. */
function BrowserNotifications() {
  const client = useClient();
  const on = useAlerts((s) => s.browserNotifications);
  const set = useAlerts((s) => s.setBrowserNotifications);
  if (client.transport !== 'websocket' || typeof Notification === 'undefined') return null;
  const toggle = (): void => {
    if (on) {
      set(false);
      return;
    }
    void Notification.requestPermission().then((permission) => set(permission === 'granted'));
  };
  return (
    <button
      type="button"
      aria-pressed={on}
      onClick={toggle}
      title={Notification.permission === 'denied' ? 'The browser blocks notifications for this page' : undefined}
    >
      {on ? 'System notifications on' : 'System notifications off'}
    </button>
  );
}

/** The newest fired alerts over everything, until they time out or are closed. */
export function AlertToasts() {
  const toasts = useAlerts((s) => s.toasts);
  const dismiss = useAlerts((s) => s.dismiss);
  if (toasts.length === 0) return null;
  return (
    <div className="toasts" role="status" aria-live="polite" data-testid="alert-toasts">
      {toasts.map((alert) => (
        <p key={alert.seq} className={`toast toast-${alert.kind}`} data-kind={alert.kind}>
          <span>{alert.message}</span>
          <button type="button" className="icon" aria-label="Close" onClick={() => dismiss(alert.seq)}>
            ✕
          </button>
        </p>
      ))}
    </div>
  );
}
