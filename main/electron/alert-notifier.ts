// Desktop notifications for the host's alerts: each fired alert as a system notification
// (Electron's Notification), clicking it brings the window forward. Takes the notification
// class and the window as arguments, so that it is tested without Electron.

import type { FiredAlert } from '../../app/host/alert-engine.js';

export interface NotificationLike {
  on(event: 'click', listener: () => void): unknown;
  show(): void;
}

export interface NotificationMaker {
  isSupported(): boolean;
  new (options: { title: string; body: string; silent?: boolean }): NotificationLike;
}

export interface AlertSource {
  on(event: 'fired', listener: (alert: FiredAlert) => void): unknown;
  off(event: 'fired', listener: (alert: FiredAlert) => void): unknown;
}

/** Shows every alert the host fires; returns what stops it. */
export function notifyAlerts(alerts: AlertSource, Notification: NotificationMaker, focus: () => void): () => void {
  const onFired = (alert: FiredAlert): void => {
    if (!Notification.isSupported()) return;
    const notification = new Notification({
      title: `Ticker Deck — ${alert.kind === 'price' ? 'price' : alert.kind === 'print' ? 'large print' : 'feed not live'}`,
      body: alert.message,
    });
    notification.on('click', focus);
    notification.show();
  };
  alerts.on('fired', onFired);
  return () => alerts.off('fired', onFired);
}
