// ExchangeValidator: checks a structurally valid config against one exchange's rules
// (symbol pattern, data types, timeframes, depth) and reports every problem in words.

import type { ExchangeCollectorConfig } from '../core/config.js';
import type { ExchangeDescriptor } from './types.js';

export class ExchangeValidator {
  constructor(private readonly descriptor: ExchangeDescriptor) {}

  /** Problems with `symbol` after normalization; empty when it is acceptable. */
  validateSymbol(symbol: string): string[] {
    const { rules, displayName } = this.descriptor;
    const normalized = rules.normalizeSymbol(symbol);
    if (normalized === '') return ['symbol must not be empty'];
    if (!rules.symbolPattern.test(normalized)) {
      return [`symbol "${symbol}" is not a valid ${displayName} instrument id (${rules.symbolHint})`];
    }
    return [];
  }

  validate(config: ExchangeCollectorConfig): string[] {
    const { rules, displayName, dataTypes } = this.descriptor;
    const problems = this.validateSymbol(config.symbol);
    for (const type of config.dataTypes) {
      if (!dataTypes.includes(type)) problems.push(`${displayName} does not provide ${type} data`);
    }
    for (const timeframe of config.customParams.candleTimeframes ?? []) {
      if (!rules.candleTimeframes.includes(timeframe)) {
        problems.push(`${displayName} has no ${timeframe} candles (available: ${rules.candleTimeframes.join(', ')})`);
      }
    }
    const depth = config.customParams.bookDepth;
    if (depth !== undefined && !rules.bookDepths.includes(depth)) {
      problems.push(
        rules.bookDepths.length === 0
          ? `${displayName} streams whole order books; bookDepth does not apply`
          : `${displayName} streams order books of ${rules.bookDepths.join(' or ')} levels, not ${depth}`,
      );
    }
    return problems;
  }
}
