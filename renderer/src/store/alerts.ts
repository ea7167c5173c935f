// Fired alerts as the page holds them: the latest (bounded), the ones shown as toasts until
// they time out or are closed, and, in a browser (serve mode), a system notification through
// the Notification API when the trader has allowed it. The desktop app's notifications come
// from its main process, so the page does not add its own there.

import { create } from 'zustand';
import type { FiredAlert } from '../../../main/contract';
import type { HostClient } from '../api/client';

export const MAX_RECENT = 50;
export const MAX_TOASTS = 3;
export const TOAST_MS = 8_000;

export interface AlertsState {
  readonly recent: readonly FiredAlert[];
  readonly toasts: readonly FiredAlert[];
  /** Browser notifications: whether the trader turned them on (and the browser allowed it). */
  readonly browserNotifications: boolean;
  readonly received: (alert: FiredAlert, toast: boolean) => void;
  readonly dismiss: (seq: number) => void;
  readonly setBrowserNotifications: (on: boolean) => void;
}

export const useAlerts = create<AlertsState>()((set) => ({
  recent: [],
  toasts: [],
  browserNotifications: typeof Notification !== 'undefined' && Notification.permission === 'granted',
  received: (alert, toast) =>
    set((state) => {
      if (state.recent.some((a) => a.seq === alert.seq)) return {};
      const recent = [...state.recent, alert].sort((a, b) => a.seq - b.seq).slice(-MAX_RECENT);
      return { recent, toasts: toast ? [...state.toasts, alert].slice(-MAX_TOASTS) : state.toasts };
    }),
  dismiss: (seq) => set((state) => ({ toasts: state.toasts.filter((t) => t.seq !== seq) })),
  setBrowserNotifications: (browserNotifications) => set({ browserNotifications }),
}));

/** Listens for fired alerts (and loads those fired before the page connected). */
export function connectAlerts(client: HostClient): () => void {
  const load = (): void => {
    void client.call('getAlerts', {}).then((r) => {
      if (r.ok) for (const alert of r.value) useAlerts.getState().received(alert, false);
    });
  };
  if (client.connection() === 'open') load();
  const offConnection = client.onConnection((state) => state === 'open' && load());
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const offAlert = client.on('alert', (alert) => {
    useAlerts.getState().received(alert, true);
    const timer = setTimeout(() => {
      timers.delete(timer);
      useAlerts.getState().dismiss(alert.seq);
    }, TOAST_MS);
    timers.add(timer);
    if (
      client.transport === 'websocket' &&
      useAlerts.getState().browserNotifications &&
      typeof Notification !== 'undefined' &&
      Notification.permission === 'granted'
    ) {
      new Notification('Ticker Deck alert', { body: alert.message, tag: `alert-${alert.seq}` });
    }
  });
  return () => {
    offConnection();
    offAlert();
    for (const timer of timers) clearTimeout(timer);
  };
}
