// Alerts as the trader edits them: checked drafts added to the active workspace (where they
// are kept), switched on and off, removed, and described in words. Free of the DOM and of
// React, so that it is tested in Node.

import { MAX_ALERTS, type Alert, type AlertKind, type Workspace } from '../../../main/contract.js';
import { uniqueId, type Edit } from './workspace-layout.js';

export interface AlertDraft {
  readonly kind: AlertKind;
  readonly symbol: string;
  /** As typed: a price, a notional or a number of seconds, by kind. */
  readonly value: string;
  readonly direction: 'above' | 'below';
}

export function addAlert(workspace: Workspace, draft: AlertDraft): Edit<Workspace> {
  if (workspace.alerts.length >= MAX_ALERTS) return { ok: false, message: `A workspace keeps at most ${MAX_ALERTS} alerts.` };
  if (draft.symbol === '') return { ok: false, message: 'Choose the symbol the alert watches.' };
  const value = Number(draft.value);
  if (draft.value.trim() === '' || !Number.isFinite(value) || value <= 0) {
    const what = draft.kind === 'price' ? 'a price' : draft.kind === 'print' ? 'a notional' : 'a number of seconds';
    return { ok: false, message: `Type ${what} greater than zero.` };
  }
  if (draft.kind === 'stale' && (!Number.isInteger(value) || value > 86_400)) return { ok: false, message: 'Type whole seconds, at most 86,400 (a day).' };
  const id = uniqueId(
    `${draft.kind}-${workspace.alerts.length + 1}`,
    workspace.alerts.map((a) => a.id),
  );
  const alert: Alert =
    draft.kind === 'price'
      ? { id, kind: 'price', symbol: draft.symbol, price: value, direction: draft.direction, enabled: true }
      : draft.kind === 'print'
        ? { id, kind: 'print', symbol: draft.symbol, notional: value, enabled: true }
        : { id, kind: 'stale', symbol: draft.symbol, seconds: value, enabled: true };
  return { ok: true, value: { ...workspace, alerts: [...workspace.alerts, alert] } };
}

export function setAlertEnabled(workspace: Workspace, id: string, enabled: boolean): Edit<Workspace> {
  return { ok: true, value: { ...workspace, alerts: workspace.alerts.map((a) => (a.id === id ? { ...a, enabled } : a)) } };
}

export function removeAlert(workspace: Workspace, id: string): Edit<Workspace> {
  return { ok: true, value: { ...workspace, alerts: workspace.alerts.filter((a) => a.id !== id) } };
}

/** `crosses above 70,000`, `a print of 100,000 USDT or more`, `not live for 30 s`. */
export function describeAlert(alert: Alert, quote: string | undefined): string {
  const n = (v: number | undefined): string => (v ?? 0).toLocaleString('en-US', { maximumFractionDigits: 8 });
  if (alert.kind === 'price') return `crosses ${alert.direction ?? 'above'} ${n(alert.price)}`;
  if (alert.kind === 'print') return `a print of ${n(alert.notional)}${quote === undefined ? '' : ` ${quote}`} or more`;
  return `not live for ${n(alert.seconds)} s`;
}
