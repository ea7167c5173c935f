import { describe, expect, it } from 'vitest';
import { ExchangeError, ExchangeNotSupportedError, InvalidConfigurationError } from '../../../app/core/errors.js';
import { ExchangeFactory } from '../../../app/exchanges/factory.js';
import { EXCHANGE_REGISTRY, createRegistry } from '../../../app/exchanges/registry.js';
import { okxDescriptor } from '../../../app/exchanges/okx/descriptor.js';
import { TestExchangeCollector, testExchangeDescriptor } from '../../support/test-exchange.js';

const okxConfig = {
  exchange: 'okx',
  symbol: 'BTC-USDT',
  dataTypes: ['trade', 'orderbook', 'ticker', 'candles'],
  autoRestart: true,
  healthCheckInterval: 30,
  storeRawData: true,
  customParams: {},
};

describe('EXCHANGE_REGISTRY', () => {
  it('registers OKX with its favourite pairs and all four data types', () => {
    const okx = EXCHANGE_REGISTRY.get('okx');
    expect(okx?.displayName).toBe('OKX');
    expect(okx?.defaultPairs).toEqual(['BTC-USDT', 'ETH-USDT', 'SOL-USDT', 'DOGE-USDT', 'TON-USDT']);
    expect(okx?.dataTypes).toEqual(['trade', 'orderbook', 'ticker', 'candles']);
  });

  it('refuses duplicate or mis-cased ids', () => {
    expect(() => createRegistry([okxDescriptor, okxDescriptor])).toThrow(/twice/);
    expect(() => createRegistry([{ ...okxDescriptor, id: 'OKX' }])).toThrow(/lower case/);
  });

  it('accepts OKX spot, swap and futures ids and rejects others', () => {
    const pattern = okxDescriptor.rules.symbolPattern;
    for (const ok of ['BTC-USDT', 'BTC-USDT-SWAP', 'BTC-USD-250328', '1INCH-USDT']) expect(pattern.test(ok)).toBe(true);
    for (const bad of ['BTCUSDT', 'BTC/USDT', 'btc-usdt', 'BTC-USDT-PERP', 'BTC-USD-25032', '']) expect(pattern.test(bad)).toBe(false);
  });
});

describe('ExchangeFactory.validateConfig', () => {
  const factory = new ExchangeFactory();

  it('finds no errors in a valid OKX config', () => {
    expect(factory.validateConfig(okxConfig)).toEqual({ valid: true, errors: [] });
  });

  it('reports an unsupported exchange', () => {
    const result = factory.validateConfig({ ...okxConfig, exchange: 'binanse' });
    expect(result.valid).toBe(false);
    expect(result.errors).toEqual([
      'Exchange "binanse" is not supported. Supported exchanges: okx, binance, binance-futures, bybit, bybit-spot, coinbase, kraken.',
    ]);
  });

  it('reports a symbol that does not fit the exchange, with the expected form', () => {
    const result = factory.validateConfig({ ...okxConfig, symbol: 'BTC/USDT' });
    expect(result.valid).toBe(false);
    expect(result.errors[0]).toMatch(/"BTC\/USDT" is not a valid OKX instrument id .*BTC-USDT/);
  });

  it('reports unsupported data types, timeframes and depths of the exchange', () => {
    const factoryWithTest = new ExchangeFactory(createRegistry([{ ...testExchangeDescriptor, dataTypes: ['trade'] }]));
    const result = factoryWithTest.validateConfig({
      exchange: 'testex',
      symbol: 'AAA-BBB',
      dataTypes: ['trade', 'orderbook'],
      customParams: { candleTimeframes: ['7m'], bookDepth: 3 },
    });
    expect(result.errors).toEqual([
      'Test Exchange does not provide orderbook data',
      'Test Exchange has no 7m candles (available: 1m)',
      'Test Exchange streams order books of 10 levels, not 3',
    ]);
  });

  it('lists every problem at once: a bad data type and a bad symbol together', () => {
    const result = factory.validateConfig({ exchange: 'okx', symbol: 'INVALID', dataTypes: ['invalid_type'] });
    expect(result.valid).toBe(false);
    expect(result.errors).toHaveLength(2);
    expect(result.errors[0]).toMatch(/^dataTypes\.0: data types must be among trade, orderbook, ticker, candles$/);
    expect(result.errors[1]).toMatch(/^symbol "INVALID" is not a valid OKX instrument id/);
    const unknown = factory.validateConfig({ exchange: 'nope', symbol: 'X', dataTypes: ['invalid_type'] });
    expect(unknown.errors).toEqual([
      'dataTypes.0: data types must be among trade, orderbook, ticker, candles',
      'Exchange "nope" is not supported. Supported exchanges: okx, binance, binance-futures, bybit, bybit-spot, coinbase, kraken.',
    ]);
  });

  it('reports structural problems without throwing', () => {
    const result = factory.validateConfig({ exchange: 'okx', symbol: '', dataTypes: [] });
    expect(result.valid).toBe(false);
    expect(result.errors).toHaveLength(2);
  });
});

describe('ExchangeFactory.createCollector', () => {
  const factory = new ExchangeFactory(createRegistry([okxDescriptor, testExchangeDescriptor]));

  it('throws ExchangeNotSupportedError for an unknown exchange', async () => {
    const attempt = factory.createCollector({ ...okxConfig, exchange: 'unknown_exchange' });
    await expect(attempt).rejects.toBeInstanceOf(ExchangeNotSupportedError);
    await expect(attempt).rejects.toBeInstanceOf(ExchangeError);
    await expect(attempt).rejects.toThrow(/"unknown_exchange" is not supported/);
  });

  it.each([
    ['empty exchange', { ...okxConfig, exchange: '' }],
    ['empty symbol', { ...okxConfig, symbol: '' }],
    ['no data types', { ...okxConfig, dataTypes: [] }],
    ['symbol of the wrong form', { ...okxConfig, symbol: 'BTCUSDT' }],
    ['unsupported candle timeframe', { ...okxConfig, customParams: { candleTimeframes: ['7m'] } }],
  ])('throws InvalidConfigurationError for %s', async (_name, input) => {
    await expect(factory.createCollector(input)).rejects.toBeInstanceOf(InvalidConfigurationError);
  });

  it('names every problem in the thrown error', async () => {
    const attempt = factory.createCollector({ exchange: 'okx', symbol: 'INVALID', dataTypes: ['invalid_type'] });
    await expect(attempt).rejects.toThrow(/data types must be among .*; symbol "INVALID" is not a valid OKX instrument id/);
  });

  it('lazily loads the registered collector and normalizes the symbol', async () => {
    const collector = await factory.createCollector({ exchange: 'TestEx', symbol: 'aaa-bbb', dataTypes: ['trade'] });
    expect(collector).toBeInstanceOf(TestExchangeCollector);
    expect(collector.config.symbol).toBe('AAA-BBB');
    expect(collector.id).toBe('testex:AAA-BBB');
    expect(collector.isRunning()).toBe(false);
    expect(collector.getStatus().status).toBe('stopped');
  });

  it('lists the registered exchanges with their rules', () => {
    expect(factory.listExchanges().map((e) => e.id)).toEqual(['okx', 'testex']);
    expect(factory.listExchanges()[0]?.candleTimeframes).toContain('1H');
  });
});
