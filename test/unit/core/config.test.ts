import { describe, expect, it } from 'vitest';
import { createCollectorConfig } from '../../../app/core/config.js';
import { ExchangeError, InvalidConfigurationError } from '../../../app/core/errors.js';

describe('createCollectorConfig', () => {
  it('applies the documented defaults', () => {
    const config = createCollectorConfig({ exchange: 'okx', symbol: 'BTC-USDT', dataTypes: ['trade'] });
    expect(config).toEqual({
      exchange: 'okx',
      symbol: 'BTC-USDT',
      dataTypes: ['trade'],
      autoRestart: true,
      healthCheckInterval: 30,
      storeRawData: true,
      customParams: {},
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('keeps explicit settings and custom params', () => {
    const config = createCollectorConfig({
      exchange: ' OKX ',
      symbol: 'ETH-USDT',
      dataTypes: ['orderbook', 'candles'],
      autoRestart: false,
      healthCheckInterval: 5,
      storeRawData: false,
      customParams: { wsUrl: 'ws://127.0.0.1:9000/ws/v5', candleTimeframes: ['1m', '1H'], bookDepth: 400 },
    });
    expect(config.exchange).toBe('okx');
    expect(config.autoRestart).toBe(false);
    expect(config.healthCheckInterval).toBe(5);
    expect(config.storeRawData).toBe(false);
    expect(config.customParams).toEqual({ wsUrl: 'ws://127.0.0.1:9000/ws/v5', candleTimeframes: ['1m', '1H'], bookDepth: 400 });
  });

  const invalid: [string, unknown, RegExp][] = [
    ['empty exchange', { exchange: '', symbol: 'BTC-USDT', dataTypes: ['trade'] }, /exchange must not be empty/],
    ['blank exchange', { exchange: '   ', symbol: 'BTC-USDT', dataTypes: ['trade'] }, /exchange must not be empty/],
    ['empty symbol', { exchange: 'okx', symbol: '', dataTypes: ['trade'] }, /symbol must not be empty/],
    ['no data types', { exchange: 'okx', symbol: 'BTC-USDT', dataTypes: [] }, /at least one data type/],
    ['unknown data type', { exchange: 'okx', symbol: 'BTC-USDT', dataTypes: ['funding'] }, /data types must be among/],
    ['repeated data type', { exchange: 'okx', symbol: 'BTC-USDT', dataTypes: ['trade', 'trade'] }, /must not repeat/],
    ['missing symbol', { exchange: 'okx', dataTypes: ['trade'] }, /symbol/],
    ['zero health interval', { exchange: 'okx', symbol: 'BTC-USDT', dataTypes: ['trade'], healthCheckInterval: 0 }, /positive/],
    ['negative health interval', { exchange: 'okx', symbol: 'BTC-USDT', dataTypes: ['trade'], healthCheckInterval: -3 }, /positive/],
    ['non-boolean autoRestart', { exchange: 'okx', symbol: 'BTC-USDT', dataTypes: ['trade'], autoRestart: 'yes' }, /autoRestart/],
    ['http ws url', { exchange: 'okx', symbol: 'BTC-USDT', dataTypes: ['trade'], customParams: { wsUrl: 'http://x' } }, /ws:\/\/ or wss:\/\//],
    ['unknown custom param', { exchange: 'okx', symbol: 'BTC-USDT', dataTypes: ['trade'], customParams: { colour: 'red' } }, /colour/],
    ['unknown top-level field', { exchange: 'okx', symbol: 'BTC-USDT', dataTypes: ['trade'], sybmol: 'x' }, /sybmol/],
    ['not an object', 'okx:BTC-USDT', /expected object/i],
  ];

  it.each(invalid)('rejects %s with InvalidConfigurationError', (_name, input, message) => {
    let caught: unknown;
    try {
      createCollectorConfig(input);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidConfigurationError);
    expect(caught).toBeInstanceOf(ExchangeError);
    expect((caught as InvalidConfigurationError).message).toMatch(message);
    expect((caught as InvalidConfigurationError).problems.length).toBeGreaterThan(0);
  });

  it('reports every problem at once', () => {
    let caught: unknown;
    try {
      createCollectorConfig({ exchange: '', symbol: '', dataTypes: [] });
    } catch (error) {
      caught = error;
    }
    expect((caught as InvalidConfigurationError).problems).toEqual([
      'exchange must not be empty',
      'symbol must not be empty',
      'dataTypes: at least one data type is required',
    ]);
  });
});
