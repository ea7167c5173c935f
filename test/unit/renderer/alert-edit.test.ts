// Alerts as the trader edits them: drafts checked, added with unique ids, switched, removed, described.
import { describe, expect, it } from 'vitest';
import { MAX_ALERTS, type Workspace } from '../../../main/contract.js';
import { checkWorkspaces } from '../../../app/host/workspace-store.js';
import { addAlert, describeAlert, removeAlert, setAlertEnabled } from '../../../renderer/src/lib/alert-edit.js';

const empty: Workspace = { id: 'w', name: 'W', panes: [], alerts: [] };
const value = <T>(edit: { ok: true; value: T } | { ok: false; message: string }): T => {
  if (!edit.ok) throw new Error(edit.message);
  return edit.value;
};

describe('alert edits', () => {
  it('adds each kind from a draft, valid for the host', () => {
    let ws = value(addAlert(empty, { kind: 'price', symbol: 'okx:BTC-USDT', value: '70000', direction: 'below' }));
    ws = value(addAlert(ws, { kind: 'print', symbol: 'okx:BTC-USDT', value: '250000', direction: 'above' }));
    ws = value(addAlert(ws, { kind: 'stale', symbol: 'okx:BTC-USDT', value: '30', direction: 'above' }));
    expect(ws.alerts).toEqual([
      { id: 'price-1', kind: 'price', symbol: 'okx:BTC-USDT', price: 70000, direction: 'below', enabled: true },
      { id: 'print-2', kind: 'print', symbol: 'okx:BTC-USDT', notional: 250000, enabled: true },
      { id: 'stale-3', kind: 'stale', symbol: 'okx:BTC-USDT', seconds: 30, enabled: true },
    ]);
    expect(checkWorkspaces({ version: 1, active: 'w', workspaces: [ws] }).ok).toBe(true);
    expect(ws.alerts.map((a) => describeAlert(a, 'USDT'))).toEqual(['crosses below 70,000', 'a print of 250,000 USDT or more', 'not live for 30 s']);
  });

  it('refuses drafts that cannot be alerts, and more than the bound', () => {
    expect(addAlert(empty, { kind: 'price', symbol: 'okx:BTC-USDT', value: '', direction: 'above' })).toEqual({
      ok: false,
      message: 'Type a price greater than zero.',
    });
    expect(addAlert(empty, { kind: 'print', symbol: 'okx:BTC-USDT', value: '-5', direction: 'above' }).ok).toBe(false);
    expect(addAlert(empty, { kind: 'stale', symbol: 'okx:BTC-USDT', value: '1.5', direction: 'above' }).ok).toBe(false);
    expect(addAlert(empty, { kind: 'stale', symbol: '', value: '5', direction: 'above' }).ok).toBe(false);
    const full: Workspace = {
      ...empty,
      alerts: Array.from({ length: MAX_ALERTS }, (_, i) => ({ id: `a${i}`, kind: 'stale' as const, symbol: 's', seconds: 1, enabled: true })),
    };
    expect(addAlert(full, { kind: 'stale', symbol: 's', value: '5', direction: 'above' }).ok).toBe(false);
  });

  it('switches an alert off and on, and removes it', () => {
    const ws = value(addAlert(empty, { kind: 'stale', symbol: 's', value: '5', direction: 'above' }));
    expect(value(setAlertEnabled(ws, 'stale-1', false)).alerts[0]?.enabled).toBe(false);
    expect(value(removeAlert(ws, 'stale-1')).alerts).toEqual([]);
  });
});
