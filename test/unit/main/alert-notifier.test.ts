// The desktop app shows each fired alert as a system notification; a click brings the window forward.
import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import type { FiredAlert } from '../../../app/host/alert-engine.js';
import { notifyAlerts, type NotificationLike } from '../../../main/electron/alert-notifier.js';

describe('notifyAlerts', () => {
  it('shows a notification per alert, titled by kind, and focuses the window on click; stops when told', () => {
    const shown: { title: string; body: string; click?: () => void }[] = [];
    let supported = true;
    class FakeNotification implements NotificationLike {
      private readonly entry: { title: string; body: string; click?: () => void };
      constructor(options: { title: string; body: string }) {
        this.entry = { ...options };
      }
      static isSupported(): boolean {
        return supported;
      }
      on(_event: 'click', listener: () => void): this {
        this.entry.click = listener;
        return this;
      }
      show(): void {
        shown.push(this.entry);
      }
    }
    const alerts = new EventEmitter<{ fired: [FiredAlert] }>();
    const focus = vi.fn();
    const stop = notifyAlerts(alerts, FakeNotification, focus);
    const alert: FiredAlert = {
      seq: 1,
      at: 0,
      workspace: 'w',
      alertId: 'a',
      symbol: 'okx:BTC-USDT',
      kind: 'print',
      message: 'BTC/USDT · OKX: buy of 1.20M USDT at 70,000',
    };
    alerts.emit('fired', alert);
    expect(shown).toEqual([{ title: 'Ticker Deck — large print', body: alert.message, click: expect.any(Function) as unknown }]);
    shown[0]?.click?.();
    expect(focus).toHaveBeenCalledTimes(1);
    supported = false;
    alerts.emit('fired', { ...alert, seq: 2 });
    expect(shown).toHaveLength(1);
    supported = true;
    stop();
    alerts.emit('fired', { ...alert, seq: 3 });
    expect(shown).toHaveLength(1);
  });
});
