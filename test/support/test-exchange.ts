// A minimal exchange for testing the collector base: JSON subscribe frames, text ping/pong,
// trade messages `{"channel":"trades","symbol":..,"px":..,"sz":..,"side":..,"ts":..}`.

import { BaseDataCollector, type TransportStats } from '../../app/core/base-collector.js';
import { ExchangeWebSocketClient } from '../../app/core/ws-client.js';
import { DATA_TYPES } from '../../app/core/types.js';
import type { ExchangeDescriptor } from '../../app/exchanges/types.js';

interface Arg {
  readonly channel: string;
  readonly symbol: string;
}

export class TestExchangeCollector extends BaseDataCollector {
  client: ExchangeWebSocketClient<Arg> | undefined;

  protected async openSession(signal: AbortSignal): Promise<void> {
    const url = this.config.customParams.wsUrl;
    if (url === undefined) throw new Error('test exchange needs customParams.wsUrl');
    const client = new ExchangeWebSocketClient<Arg>({
      url,
      name: 'testex',
      subscriptions: {
        key: (arg) => `${arg.channel}:${arg.symbol}`,
        encode: (op, args) => [JSON.stringify({ op, args })],
      },
      keepAlive: { kind: 'text', ping: 'ping', pong: 'pong', idleMs: 200, timeoutMs: 200 },
      backoff: { initialMs: 20, maxMs: 100, factor: 2, jitter: 0 },
      maxReconnectAttempts: 3,
      onMessage: (text, receivedAt) => this.onMessage(text, receivedAt),
    });
    this.client = client;
    client.on('reconnecting', () => this.markReconnecting());
    client.on('open', ({ connects }) => {
      if (connects > 1) this.markConnected();
    });
    client.on('giveUp', (error) => this.fail(error));
    await client.subscribe(this.config.dataTypes.map((type) => ({ channel: type, symbol: this.config.symbol })));
    if (signal.aborted) return;
    await client.connect();
  }

  protected async closeSession(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await client?.dispose();
  }

  protected override transportStats(): TransportStats {
    const stats = this.client?.stats();
    return { queueDepth: stats?.queueDepth ?? 0, dropped: stats?.dropped ?? 0 };
  }

  private onMessage(text: string, receivedAt: number): void {
    this.publishRaw('main', text, receivedAt);
    const msg = JSON.parse(text) as { channel?: string; px?: string; sz?: string; side?: 'buy' | 'sell'; ts?: number; id?: string };
    if (msg.channel !== 'trade' || msg.px === undefined || msg.sz === undefined) return;
    this.publish({
      kind: 'trade',
      exchange: this.config.exchange,
      symbol: this.config.symbol,
      exchangeTs: msg.ts ?? receivedAt,
      receivedAt,
      tradeId: msg.id ?? '0',
      side: msg.side ?? 'buy',
      price: Number(msg.px),
      priceStr: msg.px,
      size: Number(msg.sz),
      sizeStr: msg.sz,
      fills: 1,
    });
  }
}

export const testExchangeDescriptor: ExchangeDescriptor = {
  id: 'testex',
  displayName: 'Test Exchange',
  defaultPairs: ['AAA-BBB'],
  dataTypes: DATA_TYPES,
  rules: {
    symbolPattern: /^[A-Z]{3}-[A-Z]{3}$/,
    symbolHint: 'three letters, a dash, three letters',
    normalizeSymbol: (s) => s.trim().toUpperCase(),
    candleTimeframes: ['1m'],
    defaultCandleTimeframes: ['1m'],
    bookDepths: [10],
    defaultBookDepth: 10,
  },
  endpoints: { wsUrl: 'ws://127.0.0.1:1', restUrl: 'http://127.0.0.1:1' },
  loadCollector: () => Promise.resolve(TestExchangeCollector),
};
