// ExchangeFactory: the one place collectors are made. It validates a config against the
// registry, lazily loads the exchange's collector module and logs what it created.

import type { BaseDataCollector, CollectorOptions } from '../core/base-collector.js';
import { createCollectorConfig, parseCollectorConfig, type ExchangeCollectorConfig } from '../core/config.js';
import { ExchangeNotSupportedError, InvalidConfigurationError } from '../core/errors.js';
import { getLogger } from '../core/logger.js';
import { EXCHANGE_REGISTRY, describeExchange, type ExchangeRegistry } from './registry.js';
import type { ExchangeDescriptor, ExchangeInfo } from './types.js';
import { ExchangeValidator } from './validator.js';

export interface ValidationResult {
  readonly valid: boolean;
  readonly errors: readonly string[];
}

export class ExchangeFactory {
  private readonly log = getLogger('exchanges');

  constructor(private readonly registry: ExchangeRegistry = EXCHANGE_REGISTRY) {}

  listExchanges(): ExchangeInfo[] {
    return [...this.registry.values()].map(describeExchange);
  }

  isSupported(exchange: string): boolean {
    return this.registry.has(exchange.trim().toLowerCase());
  }

  /** The descriptor of a registered exchange; throws ExchangeNotSupportedError otherwise. */
  descriptor(exchange: string): ExchangeDescriptor {
    const descriptor = this.registry.get(exchange.trim().toLowerCase());
    if (descriptor === undefined) throw new ExchangeNotSupportedError(exchange, [...this.registry.keys()]);
    return descriptor;
  }

  /** Every problem with `input` at once (shape and exchange rules together), without throwing. */
  validateConfig(input: unknown): ValidationResult {
    const parsed = parseCollectorConfig(input);
    if (!parsed.ok) return { valid: false, errors: [...parsed.problems, ...this.ruleProblemsOfInvalid(input)] };
    const descriptor = this.registry.get(parsed.config.exchange);
    if (descriptor === undefined) {
      return {
        valid: false,
        errors: [new ExchangeNotSupportedError(parsed.config.exchange, [...this.registry.keys()]).message],
      };
    }
    const errors = new ExchangeValidator(descriptor).validate(parsed.config);
    return { valid: errors.length === 0, errors };
  }

  /**
   * The exchange rules that can still be checked on a config whose shape is wrong elsewhere
   * (its exchange and symbol), so the trader hears of every problem in one go.
   */
  private ruleProblemsOfInvalid(input: unknown): string[] {
    if (typeof input !== 'object' || input === null) return [];
    const { exchange, symbol } = input as { exchange?: unknown; symbol?: unknown };
    if (typeof exchange !== 'string' || exchange.trim() === '') return [];
    const descriptor = this.registry.get(exchange.trim().toLowerCase());
    if (descriptor === undefined) return [new ExchangeNotSupportedError(exchange.trim().toLowerCase(), [...this.registry.keys()]).message];
    if (typeof symbol !== 'string' || symbol.trim() === '') return [];
    return new ExchangeValidator(descriptor).validateSymbol(symbol.trim());
  }

  /**
   * The validated, normalized config for `input`.
   * Throws InvalidConfigurationError (listing every problem) or ExchangeNotSupportedError.
   */
  resolveConfig(input: unknown): ExchangeCollectorConfig {
    const parsed = parseCollectorConfig(input);
    if (!parsed.ok) {
      const rules = this.ruleProblemsOfInvalid(input);
      const exchange = typeof input === 'object' && input !== null ? (input as { exchange?: unknown }).exchange : undefined;
      throw new InvalidConfigurationError([...parsed.problems, ...rules], typeof exchange === 'string' ? exchange : undefined);
    }
    const config = createCollectorConfig(input);
    const descriptor = this.descriptor(config.exchange);
    const normalized: ExchangeCollectorConfig = {
      ...config,
      symbol: descriptor.rules.normalizeSymbol(config.symbol),
    };
    const problems = new ExchangeValidator(descriptor).validate(normalized);
    if (problems.length > 0) throw new InvalidConfigurationError(problems, config.exchange);
    return Object.freeze(normalized);
  }

  async createCollector(input: unknown, options?: CollectorOptions): Promise<BaseDataCollector> {
    const config = this.resolveConfig(input);
    const Collector = await this.descriptor(config.exchange).loadCollector();
    const collector = new Collector(config, options);
    this.log.info({ exchange: config.exchange, symbol: config.symbol, dataTypes: config.dataTypes, id: collector.id }, 'collector created');
    return collector;
  }
}
