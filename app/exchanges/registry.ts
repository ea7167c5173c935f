// EXCHANGE_REGISTRY: every exchange the app can collect from. Adding an exchange means adding
// its folder under app/exchanges/ and its descriptor to the list below.

import type { ExchangeDescriptor, ExchangeInfo } from './types.js';
import { BINANCE_DESCRIPTORS } from './binance/descriptor.js';
import { BYBIT_DESCRIPTORS } from './bybit/descriptor.js';
import { coinbaseDescriptor } from './coinbase/descriptor.js';
import { krakenDescriptor } from './kraken/descriptor.js';
import { okxDescriptor } from './okx/descriptor.js';

export type ExchangeRegistry = ReadonlyMap<string, ExchangeDescriptor>;

export function createRegistry(descriptors: readonly ExchangeDescriptor[]): ExchangeRegistry {
  const registry = new Map<string, ExchangeDescriptor>();
  for (const descriptor of descriptors) {
    if (descriptor.id !== descriptor.id.toLowerCase()) throw new Error(`exchange id must be lower case: ${descriptor.id}`);
    if (registry.has(descriptor.id)) throw new Error(`exchange registered twice: ${descriptor.id}`);
    registry.set(descriptor.id, descriptor);
  }
  return registry;
}

export const EXCHANGE_REGISTRY: ExchangeRegistry = createRegistry([
  okxDescriptor,
  ...BINANCE_DESCRIPTORS,
  ...BYBIT_DESCRIPTORS,
  coinbaseDescriptor,
  krakenDescriptor,
]);

export function describeExchange(descriptor: ExchangeDescriptor): ExchangeInfo {
  return {
    id: descriptor.id,
    displayName: descriptor.displayName,
    defaultPairs: descriptor.defaultPairs,
    dataTypes: descriptor.dataTypes,
    symbolHint: descriptor.rules.symbolHint,
    candleTimeframes: descriptor.rules.candleTimeframes,
    bookDepths: descriptor.rules.bookDepths,
  };
}
