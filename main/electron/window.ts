// The main window and its locks: context isolation, sandbox, no Node in the page, a strict
// CSP on every response, no navigation away, no new windows, no webviews, no permissions
// (neither granted on request nor reported as granted when checked), no DevTools in packaged
// builds. The Electron fuses are set in electron-builder.json.

import { BrowserWindow, session, shell, type WebContents } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../security.js';

export const WINDOW_OPTIONS = (preload: string, devTools = false): Electron.BrowserWindowConstructorOptions => ({
  width: 1440,
  height: 900,
  minWidth: 1024,
  minHeight: 640,
  show: false,
  backgroundColor: '#0b0e11',
  title: 'Ticker Deck',
  webPreferences: {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
    // Only a development build (not packaged) may open DevTools.
    devTools,
  },
});

/** Applies the session-wide rules once: CSP header and a refusal of every permission request. */
export function lockDownSession(): void {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  // Checks (e.g. navigator.permissions.query) are refused too, so nothing looks granted.
  session.defaultSession.setPermissionCheckHandler(() => false);
}

/** Keeps a window's contents on our UI: no navigation, no popups, no webviews. */
export function lockDownContents(contents: WebContents, isTrustedUrl: (url: string) => boolean): void {
  contents.on('will-navigate', (event, url) => {
    if (!isTrustedUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(denyWindows);
}

/** Links that may open in the system browser (never in the app): the chart library's credit. */
const EXTERNAL_LINKS = new Set(['https://www.tradingview.com/']);

/** No new windows; an allowed external link goes to the system browser instead. */
export function denyWindows({ url }: { url: string }): { action: 'deny' } {
  if (EXTERNAL_LINKS.has(url)) void shell.openExternal(url).catch(() => undefined);
  return { action: 'deny' };
}

export function createMainWindow(preload: string, isTrustedUrl: (url: string) => boolean, options: { readonly devTools?: boolean } = {}): BrowserWindow {
  const window = new BrowserWindow(WINDOW_OPTIONS(preload, options.devTools ?? false));
  lockDownContents(window.webContents, isTrustedUrl);
  window.once('ready-to-show', () => window.show());
  return window;
}
