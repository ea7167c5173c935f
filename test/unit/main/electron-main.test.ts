// The Electron entry point with `electron` mocked: a second instance quits at once and hands
// focus to the first.
import { describe, expect, it, vi } from 'vitest';

const app = vi.hoisted(() => ({
  requestSingleInstanceLock: vi.fn(() => false),
  quit: vi.fn(),
  on: vi.fn(),
  whenReady: vi.fn(() => new Promise(() => undefined)),
}));

vi.mock('electron', () => ({ app, BrowserWindow: class {}, Notification: class {}, dialog: {}, ipcMain: {}, session: {} }));

describe('Electron main entry', () => {
  it('quits when another instance already runs, without starting anything', async () => {
    await import('../../../main/electron/main.js');
    expect(app.requestSingleInstanceLock).toHaveBeenCalledTimes(1);
    expect(app.quit).toHaveBeenCalledTimes(1);
    expect(app.whenReady).not.toHaveBeenCalled();
  });

  it('trusts only its own renderer page', async () => {
    const { isTrustedUrl } = await import('../../../main/electron/main.js');
    // Built, main.js sits in out/main and the page in out/renderer: the page is ../renderer/index.html.
    const own = new URL('../renderer/index.html', new URL('../../../main/electron/main.ts', import.meta.url)).href;
    expect(isTrustedUrl(own)).toBe(true);
    expect(isTrustedUrl(`${own}#/book`)).toBe(true);
    expect(isTrustedUrl(`${own}.evil.html`)).toBe(false);
    expect(isTrustedUrl('https://evil.example/')).toBe(false);
    expect(isTrustedUrl('file:///etc/passwd')).toBe(false);
  });
});
