// The renderer's connection to the host. In the desktop app the preload exposes
// `window.tickerDeck` (Electron IPC); in a browser (serve mode) the same contract travels over
// a WebSocket to `/api`, reconnecting on its own. Both are typed from main/contract.ts.

import type { CommandInput, CommandName, CommandResult, EventName, EventPayloads, TickerDeckApi, WsMessage } from '../../../main/contract';

export type ConnectionState = 'connecting' | 'open' | 'closed';

export interface HostClient extends TickerDeckApi {
  readonly transport: 'ipc' | 'websocket';
  connection(): ConnectionState;
  onConnection(listener: (state: ConnectionState) => void): () => void;
}

type Listener = (payload: unknown) => void;

declare global {
  interface Window {
    tickerDeck?: TickerDeckApi;
  }
}

export function createHostClient(): HostClient {
  const bridge = window.tickerDeck;
  if (bridge !== undefined) {
    return {
      transport: 'ipc',
      call: (command, input) => bridge.call(command, input),
      on: (event, listener) => bridge.on(event, listener),
      connection: () => 'open',
      onConnection: () => () => undefined,
    };
  }
  const token = new URLSearchParams(location.search).get('token');
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return new WebSocketClient(`${scheme}://${location.host}/api${token === null ? '' : `?token=${encodeURIComponent(token)}`}`);
}

const CALL_TIMEOUT_MS = 15_000;

class WebSocketClient implements HostClient {
  readonly transport = 'websocket' as const;
  private socket: WebSocket | undefined;
  private state: ConnectionState = 'connecting';
  private nextId = 1;
  private retryMs = 250;
  private readonly pending = new Map<number, (result: CommandResult<CommandName>) => void>();
  private readonly listeners = new Map<EventName, Set<Listener>>();
  private readonly connectionListeners = new Set<(state: ConnectionState) => void>();

  constructor(private readonly url: string) {
    this.open();
  }

  connection(): ConnectionState {
    return this.state;
  }

  onConnection(listener: (state: ConnectionState) => void): () => void {
    this.connectionListeners.add(listener);
    return () => this.connectionListeners.delete(listener);
  }

  call<K extends CommandName>(command: K, input: CommandInput<K>): Promise<CommandResult<K>> {
    const socket = this.socket;
    if (socket === undefined || socket.readyState !== WebSocket.OPEN) {
      return Promise.resolve(failure('not connected to the host; retrying') as CommandResult<K>);
    }
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve(failure(`${command} got no answer in ${CALL_TIMEOUT_MS / 1000} s`) as CommandResult<K>);
      }, CALL_TIMEOUT_MS);
      this.pending.set(id, (result) => {
        clearTimeout(timer);
        resolve(result as CommandResult<K>);
      });
      socket.send(JSON.stringify({ kind: 'call', id, command, input }));
    });
  }

  on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void {
    const set = this.listeners.get(event) ?? new Set<Listener>();
    set.add(listener as Listener);
    this.listeners.set(event, set);
    return () => set.delete(listener as Listener);
  }

  private open(): void {
    this.setState('connecting');
    const socket = new WebSocket(this.url);
    this.socket = socket;
    socket.onopen = () => {
      this.retryMs = 250;
      this.setState('open');
    };
    socket.onmessage = (message: MessageEvent<string>) => this.onMessage(message.data);
    socket.onclose = () => {
      for (const resolve of this.pending.values()) resolve(failure('connection to the host lost'));
      this.pending.clear();
      this.setState('closed');
      setTimeout(() => this.open(), this.retryMs);
      this.retryMs = Math.min(5000, this.retryMs * 2);
    };
  }

  private onMessage(text: string): void {
    let message: WsMessage;
    try {
      message = JSON.parse(text) as WsMessage;
    } catch {
      return;
    }
    if (message.kind === 'result') {
      if (message.id === null) return;
      this.pending.get(message.id)?.(message.result);
      this.pending.delete(message.id);
      return;
    }
    for (const listener of this.listeners.get(message.event) ?? []) listener(message.payload);
  }

  private setState(state: ConnectionState): void {
    this.state = state;
    for (const listener of this.connectionListeners) listener(state);
  }
}

function failure(message: string): CommandResult<CommandName> {
  return { ok: false, error: { code: 'internal', message, details: [] } };
}
