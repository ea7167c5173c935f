// Electron main with `electron` mocked: the window's security settings and the locks on
// navigation, popups, webviews, permissions and the CSP header.
import { readFile } from 'node:fs/promises';
import { beforeEach, describe, expect, it, vi } from 'vitest';

type Handler = (...args: unknown[]) => unknown;

const state = vi.hoisted(() => ({
  windows: [] as { options: Record<string, unknown>; contents: { handlers: Map<string, (...args: unknown[]) => unknown>; openHandler?: () => unknown } }[],
  headersHandler: undefined as undefined | ((details: unknown, callback: (response: unknown) => void) => void),
  permissionHandler: undefined as undefined | ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void),
  permissionCheck: undefined as undefined | ((contents: unknown, permission: string) => boolean),
  opened: [] as string[],
}));

vi.mock('electron', () => {
  class BrowserWindow {
    readonly webContents: {
      handlers: Map<string, Handler>;
      on: (event: string, handler: Handler) => void;
      setWindowOpenHandler: (h: () => unknown) => void;
      openHandler?: () => unknown;
    };
    constructor(options: Record<string, unknown>) {
      const handlers = new Map<string, Handler>();
      this.webContents = {
        handlers,
        on: (event, handler) => handlers.set(event, handler),
        setWindowOpenHandler: (h) => {
          this.webContents.openHandler = h;
        },
      };
      state.windows.push({ options, contents: this.webContents });
    }
    once(): void {}
    show(): void {}
  }
  return {
    BrowserWindow,
    shell: { openExternal: (url: string) => (state.opened.push(url), Promise.resolve()) },
    session: {
      defaultSession: {
        webRequest: { onHeadersReceived: (handler: typeof state.headersHandler) => (state.headersHandler = handler) },
        setPermissionRequestHandler: (handler: typeof state.permissionHandler) => (state.permissionHandler = handler),
        setPermissionCheckHandler: (handler: typeof state.permissionCheck) => (state.permissionCheck = handler),
      },
    },
  };
});

const { createMainWindow, lockDownSession, WINDOW_OPTIONS } = await import('../../../main/electron/window.js');
const trusted = (url: string): boolean => url === 'file:///app/index.html';

describe('main window', () => {
  beforeEach(() => {
    state.windows.length = 0;
  });

  it('isolates the page: context isolation, sandbox, no Node, no webviews, web security on', () => {
    createMainWindow('/app/preload.cjs', trusted);
    const prefs = state.windows[0]?.options['webPreferences'];
    expect(prefs).toEqual({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      devTools: false,
    });
    expect(WINDOW_OPTIONS('/x').show).toBe(false);
    // DevTools only in a development build.
    createMainWindow('/app/preload.cjs', trusted, { devTools: true });
    expect((state.windows[1]?.options['webPreferences'] as { devTools: boolean }).devTools).toBe(true);
  });

  it('blocks navigation away from the UI, redirects, webviews and new windows', () => {
    createMainWindow('/app/preload.cjs', trusted);
    const contents = state.windows[0]?.contents;
    const prevented = (event: string, ...args: unknown[]): boolean => {
      const e = { preventDefault: vi.fn() };
      contents?.handlers.get(event)?.(e, ...args);
      return e.preventDefault.mock.calls.length > 0;
    };
    expect(prevented('will-navigate', 'https://evil.example/')).toBe(true);
    expect(prevented('will-navigate', 'file:///app/index.html')).toBe(false);
    expect(prevented('will-redirect', 'https://evil.example/')).toBe(true);
    expect(prevented('will-attach-webview')).toBe(true);
    const open = contents?.openHandler as ((details: { url: string }) => unknown) | undefined;
    expect(open?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(open?.({ url: 'https://www.tradingview.com/' })).toEqual({ action: 'deny' });
    // Only the chart credit goes to the system browser; nothing opens inside the app.
    expect(state.opened).toEqual(['https://www.tradingview.com/']);
  });

  it('puts the strict CSP on every response and refuses every permission', () => {
    lockDownSession();
    let response: { responseHeaders?: Record<string, string[]> } = {};
    state.headersHandler?.({ responseHeaders: { 'X-Other': ['1'] } }, (r) => {
      response = r as typeof response;
    });
    expect(response.responseHeaders?.['X-Other']).toEqual(['1']);
    expect(response.responseHeaders?.['Content-Security-Policy']?.[0]).toMatch(/^default-src 'self'; script-src 'self';.*object-src 'none'/);
    let granted: boolean | undefined;
    state.permissionHandler?.({}, 'media', (g) => {
      granted = g;
    });
    expect(granted).toBe(false);
    for (const permission of ['media', 'notifications', 'clipboard-read', 'geolocation']) expect(state.permissionCheck?.({}, permission)).toBe(false);
  });

  it('packages with the fuses set: no run-as-node, no NODE_OPTIONS or inspect, encrypted cookies, ASAR only and checked', async () => {
    const config = JSON.parse(await readFile(new URL('../../../electron-builder.json', import.meta.url), 'utf8')) as {
      asar: boolean;
      electronFuses: Record<string, boolean>;
    };
    expect(config.asar).toBe(true);
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });
});
