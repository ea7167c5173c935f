// Test clients for the contract, one per transport: a WebSocket client for serve mode, and an
// in-memory Electron IPC pair (fake ipcMain + webContents wired like the preload) for the
// IpcBridge. Both expose the renderer's TickerDeckApi plus raw access for abuse tests.

import { once } from 'node:events';
import WebSocket from 'ws';
import type { CommandInput, CommandName, CommandResult, EventName, EventPayloads, TickerDeckApi, WsMessage } from '../../main/contract.js';
import { IpcBridge, type IpcEventLike, type IpcMainLike, type WebContentsLike } from '../../main/electron/ipc-bridge.js';
import { IPC } from '../../main/ipc-channels.js';
import type { SessionPlatform } from '../../main/host-session.js';
import type { MarketHost } from '../../app/host/market-host.js';

export interface TestClient extends TickerDeckApi {
  /** Sends something that is not a well-formed call; resolves with the host's answer. */
  sendRaw(payload: unknown): Promise<CommandResult<CommandName>>;
  close(): Promise<void>;
}

type Listener = (payload: unknown) => void;

class Listeners {
  private readonly map = new Map<string, Set<Listener>>();
  on(event: string, listener: Listener): () => void {
    const set = this.map.get(event) ?? new Set<Listener>();
    set.add(listener);
    this.map.set(event, set);
    return () => set.delete(listener);
  }
  emit(event: string, payload: unknown): void {
    for (const listener of this.map.get(event) ?? []) listener(payload);
  }
}

export async function connectWebSocket(url: string, headers: Record<string, string> = {}): Promise<TestClient> {
  const ws = new WebSocket(url, { headers });
  const listeners = new Listeners();
  const pending = new Map<number | null, (result: CommandResult<CommandName>) => void>();
  let nextId = 1;
  ws.on('message', (data: Buffer) => {
    const message = JSON.parse(data.toString('utf8')) as WsMessage;
    if (message.kind === 'result') {
      pending.get(message.id)?.(message.result);
      pending.delete(message.id);
    } else {
      listeners.emit(message.event, message.payload);
    }
  });
  await once(ws, 'open');
  const request = (id: number | null, text: string): Promise<CommandResult<CommandName>> =>
    new Promise((resolve) => {
      pending.set(id, resolve);
      ws.send(text);
    });
  return {
    call: <K extends CommandName>(command: K, input: CommandInput<K>) => {
      const id = nextId++;
      return request(id, JSON.stringify({ kind: 'call', id, command, input })) as Promise<CommandResult<K>>;
    },
    on: <E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void) => listeners.on(event, listener as Listener),
    sendRaw: (payload) => {
      if (typeof payload === 'string') return request(null, payload);
      const id = nextId++;
      return request(id, JSON.stringify({ kind: 'call', id, ...(payload as object) }));
    },
    close: async () => {
      ws.close();
      await once(ws, 'close');
    },
  };
}

/** A fake of the part of ipcMain the bridge uses. */
export class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, (event: IpcEventLike, ...args: unknown[]) => unknown>();
  readonly listeners = new Map<string, Set<(event: IpcEventLike, ...args: unknown[]) => void>>();
  handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => unknown): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  on(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => void): this {
    const set = this.listeners.get(channel) ?? new Set();
    set.add(listener);
    this.listeners.set(channel, set);
    return this;
  }
  removeListener(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => void): this {
    this.listeners.get(channel)?.delete(listener);
    return this;
  }
  invoke(event: IpcEventLike, channel: string, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (handler === undefined) return Promise.reject(new Error(`No handler registered for '${channel}'`));
    // Electron serializes arguments with the structured clone algorithm.
    return Promise.resolve(handler(event, ...args.map((a) => (a === undefined ? a : structuredClone(a)))));
  }
  emit(event: IpcEventLike, channel: string, ...args: unknown[]): void {
    for (const listener of this.listeners.get(channel) ?? []) listener(event, ...args);
  }
}

export class FakeWebContents implements WebContentsLike {
  destroyed = false;
  private onDestroyed: (() => void) | undefined;
  constructor(
    readonly id: number,
    private readonly deliver: (channel: string, ...args: unknown[]) => void,
  ) {}
  send(channel: string, ...args: unknown[]): void {
    if (this.destroyed) throw new Error('Object has been destroyed');
    this.deliver(channel, ...args.map((a) => structuredClone(a)));
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  once(_event: 'destroyed', listener: () => void): this {
    this.onDestroyed = listener;
    return this;
  }
  destroy(): void {
    this.destroyed = true;
    this.onDestroyed?.();
  }
}

export const TRUSTED_URL = 'file:///app/out/renderer/index.html';

/** A bridge plus one window whose "preload" is wired as main/electron/preload.ts does it. */
export function connectIpc(
  host: MarketHost,
  frameUrl = TRUSTED_URL,
  platform: SessionPlatform = {},
): TestClient & { bridge: IpcBridge; ipcMain: FakeIpcMain; contents: FakeWebContents } {
  const ipcMain = new FakeIpcMain();
  const bridge = new IpcBridge(ipcMain, host, (url) => url === TRUSTED_URL, platform);
  const listeners = new Listeners();
  const event: IpcEventLike = { sender: { id: 1 }, senderFrame: { url: frameUrl } };
  const contents = new FakeWebContents(1, (channel, name, payload) => {
    if (channel !== IPC.event) return;
    listeners.emit(name as string, payload);
    if (name === 'frame') ipcMain.emit(event, IPC.ack, (payload as { seq: number }).seq);
  });
  bridge.attach(contents);
  return {
    bridge,
    ipcMain,
    contents,
    call: <K extends CommandName>(command: K, input: CommandInput<K>) => ipcMain.invoke(event, IPC.call, command, input) as Promise<CommandResult<K>>,
    on: <E extends EventName>(name: E, listener: (payload: EventPayloads[E]) => void) => listeners.on(name, listener as Listener),
    sendRaw: (payload) => {
      const { command, input } = (payload ?? {}) as { command?: unknown; input?: unknown };
      return ipcMain.invoke(event, IPC.call, command, input) as Promise<CommandResult<CommandName>>;
    },
    close: () => {
      contents.destroy();
      bridge.dispose();
      return Promise.resolve();
    },
  };
}
