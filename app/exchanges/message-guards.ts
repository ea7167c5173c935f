// The hand-written guards every venue's messages.ts checks network input with: field by field,
// no schema objects, no allocation beyond the error. Each venue makes one, named after itself,
// so that its errors say who sent what.

import { ExchangeProtocolError } from '../core/errors.js';

/** A non-negative decimal as venues spell prices and sizes (`64000.10`). */
export const DECIMAL = /^\d+(\.\d+)?$/;

export class MessageGuards {
  constructor(
    private readonly venue: string,
    private readonly exchange: string,
  ) {}

  fail(what: string, field: string): never {
    throw new ExchangeProtocolError(`${this.venue} sent a malformed ${what}: ${field}`, { exchange: this.exchange });
  }

  record(value: unknown, what: string): Record<string, unknown> {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) this.fail(what, 'not an object');
    return value as Record<string, unknown>;
  }

  int(o: Record<string, unknown>, key: string, what: string): number {
    const v = o[key];
    if (typeof v !== 'number' || !Number.isSafeInteger(v)) this.fail(what, `${key} is not an integer`);
    return v;
  }

  decimal(o: Record<string, unknown>, key: string, what: string): string {
    const v = o[key];
    if (typeof v !== 'string' || !DECIMAL.test(v)) this.fail(what, `${key} is not a decimal number`);
    return v;
  }

  /** A decimal that may be negative (a funding rate). */
  signedDecimal(o: Record<string, unknown>, key: string, what: string): string {
    const v = o[key];
    if (typeof v !== 'string' || !DECIMAL.test(v.startsWith('-') ? v.slice(1) : v)) this.fail(what, `${key} is not a decimal number`);
    return v;
  }

  text(o: Record<string, unknown>, key: string, what: string): string {
    const v = o[key];
    if (typeof v !== 'string' || v === '') this.fail(what, `${key} is missing`);
    return v;
  }

  /** An ISO-8601 time, as ms. */
  time(o: Record<string, unknown>, key: string, what: string): number {
    const ms = Date.parse(this.text(o, key, what));
    if (!Number.isFinite(ms)) this.fail(what, `${key} is not a time`);
    return ms;
  }

  /** A list of `[price, amount]` decimal strings, checked in place (no copies); `amount` names the second field in errors. */
  pairs(value: unknown, what: string, field: string, amount: string): readonly (readonly [string, string])[] {
    if (!Array.isArray(value)) this.fail(what, `${field} is not a list`);
    for (const row of value as unknown[]) {
      if (!Array.isArray(row) || row.length < 2 || typeof row[0] !== 'string' || typeof row[1] !== 'string' || !DECIMAL.test(row[0]) || !DECIMAL.test(row[1])) {
        this.fail(what, `${field} holds a level that is not [price, ${amount}] in decimals`);
      }
    }
    return value as (readonly [string, string])[];
  }
}
