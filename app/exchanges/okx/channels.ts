// Which OKX channels and endpoints serve a collector's data types.

import type { ExchangeCollectorConfig } from '../../core/config.js';
import type { OkxArg } from './messages.js';
import { okxDescriptor } from './descriptor.js';
import { okxIndexOf } from './parser.js';

/** OKX's WebSocket endpoints: market data on /public, candles on /business. */
export type OkxEndpoint = 'public' | 'business';

export interface OkxChannelPlan {
  readonly public: OkxArg[];
  readonly business: OkxArg[];
  /** The incremental or snapshot book channel, when books are collected. */
  readonly book: OkxArg | undefined;
}

export function bookChannelFor(depth: number): 'books' | 'books5' {
  return depth <= 5 ? 'books5' : 'books';
}

export function planChannels(config: ExchangeCollectorConfig): OkxChannelPlan {
  const instId = config.symbol;
  const publicArgs: OkxArg[] = [];
  const businessArgs: OkxArg[] = [];
  let book: OkxArg | undefined;
  for (const type of config.dataTypes) {
    if (type === 'trade') publicArgs.push({ channel: 'trades', instId });
    else if (type === 'ticker') {
      publicArgs.push({ channel: 'tickers', instId });
      // A contract's ticker carries its mark, index, open interest and (perpetuals) funding.
      const index = okxIndexOf(instId);
      if (index !== undefined) {
        publicArgs.push({ channel: 'mark-price', instId }, { channel: 'index-tickers', instId: index }, { channel: 'open-interest', instId });
        if (instId.endsWith('-SWAP')) publicArgs.push({ channel: 'funding-rate', instId });
      }
    } else if (type === 'orderbook') {
      book = { channel: bookChannelFor(config.customParams.bookDepth ?? okxDescriptor.rules.defaultBookDepth), instId };
      publicArgs.push(book);
    } else {
      const timeframes = config.customParams.candleTimeframes ?? okxDescriptor.rules.defaultCandleTimeframes;
      for (const timeframe of timeframes) businessArgs.push({ channel: `candle${timeframe}`, instId });
    }
  }
  return { public: publicArgs, business: businessArgs, book };
}

export function argKey(arg: OkxArg): string {
  return `${arg.channel}:${arg.instId}`;
}

/** Base URLs for a collector: customParams override the production endpoints. */
export function okxUrls(config: ExchangeCollectorConfig): { ws: Record<OkxEndpoint, string>; rest: string } {
  const wsBase = (config.customParams.wsUrl ?? okxDescriptor.endpoints.wsUrl).replace(/\/+$/, '');
  const rest = (config.customParams.restUrl ?? okxDescriptor.endpoints.restUrl).replace(/\/+$/, '');
  return { ws: { public: `${wsBase}/public`, business: `${wsBase}/business` }, rest };
}
