// Electron main process: one instance, one locked-down window, the MarketHost behind the
// typed IPC bridge, native save dialogs. The UI is the built renderer loaded from disk.

import { Notification, app, dialog, ipcMain, type BrowserWindow } from 'electron';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { enableFileLogging, flushLogs, getLogger } from '../../app/core/logger.js';
import { describeError } from '../../app/core/errors.js';
import { MarketHost } from '../../app/host/market-host.js';
import { hostEnvironment } from '../host-options.js';
import { notifyAlerts } from './alert-notifier.js';
import { IpcBridge } from './ipc-bridge.js';
import { createMainWindow, denyWindows, lockDownSession } from './window.js';

const log = getLogger('main');
const here = path.dirname(fileURLToPath(import.meta.url));
const rendererIndex = path.join(here, '../renderer/index.html');
const preload = path.join(here, '../preload/preload.cjs');
const rendererUrl = pathToFileURL(rendererIndex).href;

export function isTrustedUrl(url: string): boolean {
  return url === rendererUrl || url.startsWith(`${rendererUrl}#`) || url.startsWith(`${rendererUrl}?`);
}

let window: BrowserWindow | undefined;
let host: MarketHost | undefined;
let bridge: IpcBridge | undefined;

async function launch(): Promise<void> {
  const environment = hostEnvironment();
  const dataDir = environment.dataDir ?? app.getPath('userData');
  const logProblem = await enableFileLogging(path.join(dataDir, 'logs')).then(
    () => undefined,
    (error: unknown) => `Logging to ${path.join(dataDir, 'logs')} is off: ${describeError(error)}. Logs go to the terminal only.`,
  );
  lockDownSession();
  host = new MarketHost({ dataDir, exchangeParams: environment.exchangeParams, ...(environment.nats === undefined ? {} : { nats: environment.nats }) });
  if (logProblem !== undefined) host.notify('warning', logProblem);
  await host.start();
  // Alerts reach the trader as system notifications, whether or not the window is in front.
  notifyAlerts(host.alerts, Notification, () => {
    if (window === undefined) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  bridge = new IpcBridge(ipcMain, host, isTrustedUrl, {
    chooseSavePath: async (defaultName) => {
      const options = { defaultPath: path.join(app.getPath('documents'), defaultName) };
      const result = window === undefined ? await dialog.showSaveDialog(options) : await dialog.showSaveDialog(window, options);
      return result.canceled ? null : (result.filePath ?? null);
    },
  });
  window = createMainWindow(preload, isTrustedUrl, { devTools: !app.isPackaged });
  bridge.attach(window.webContents);
  window.on('closed', () => {
    window = undefined;
  });
  await window.loadFile(rendererIndex);
  log.info({ dataDir }, 'Ticker Deck started');
}

// A stray rejection or throw is a bug to log loudly, never a reason to close a trader's window.
process.on('unhandledRejection', (reason) => log.error({ err: describeError(reason) }, 'unhandled promise rejection (a bug; the app keeps running)'));
process.on('uncaughtException', (error) => log.error({ err: describeError(error), stack: error.stack }, 'uncaught exception (a bug; the app keeps running)'));

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (window === undefined) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(denyWindows);
  });
  app.on('window-all-closed', () => app.quit());
  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting || host === undefined) return;
    quitting = true;
    event.preventDefault();
    bridge?.dispose();
    host
      .close()
      .catch((error: unknown) => log.error({ err: describeError(error) }, 'shutdown failed'))
      .finally(() => {
        flushLogs();
        app.quit();
      });
  });
  app
    .whenReady()
    .then(launch)
    .catch((error: unknown) => {
      log.fatal({ err: describeError(error) }, 'could not start');
      flushLogs();
      app.exit(1);
    });
}
