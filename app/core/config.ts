// ExchangeCollectorConfig: what one collector collects and how it looks after itself.
// `createCollectorConfig` is the only way to make one; it applies defaults and validates the
// shape (exchange-specific rules live in ExchangeValidator), throwing InvalidConfigurationError.

import { z } from 'zod';
import { InvalidConfigurationError } from './errors.js';
import { DATA_TYPES, type DataType } from './types.js';

export const DEFAULT_HEALTH_CHECK_INTERVAL_S = 30;
export const MAX_HEALTH_CHECK_INTERVAL_S = 3600;

/** Per-collector overrides; each exchange documents how it reads them. */
export interface CustomParams {
  /** Base WebSocket URL replacing the exchange's production endpoint (e.g. a local simulator). */
  readonly wsUrl?: string;
  /** Base REST URL replacing the exchange's production endpoint. */
  readonly restUrl?: string;
  /** Candle timeframes to collect, in our labels (`1m`, `5m`, `1H`, `1D` …). */
  readonly candleTimeframes?: readonly string[];
  /** Order-book depth (levels per side) to maintain. */
  readonly bookDepth?: number;
  /** Exchange-specific extras (plain values only). */
  readonly extra?: Readonly<Record<string, string | number | boolean>>;
}

export interface ExchangeCollectorConfig {
  /** Registry id, lower case (e.g. `okx`). */
  readonly exchange: string;
  /** The exchange's instrument id (e.g. `BTC-USDT`). */
  readonly symbol: string;
  readonly dataTypes: readonly DataType[];
  /** Restart the collector when its health check finds it stale. */
  readonly autoRestart: boolean;
  /** Seconds between health checks; also the data silence after which a stream is stale. */
  readonly healthCheckInterval: number;
  /** Emit every raw exchange frame (for recording). */
  readonly storeRawData: boolean;
  readonly customParams: CustomParams;
}

const wsUrl = z.url({ protocol: /^wss?$/, error: 'must be a ws:// or wss:// URL' });
const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' });

const customParamsSchema = z
  .strictObject({
    wsUrl: wsUrl.optional(),
    restUrl: httpUrl.optional(),
    candleTimeframes: z.array(z.string().min(1)).min(1, 'must list at least one timeframe').optional(),
    bookDepth: z.int().min(1).max(5000).optional(),
    extra: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  })
  .default({});

const configSchema = z.strictObject({
  exchange: z
    .string({ error: 'exchange must be a string' })
    .trim()
    .min(1, 'exchange must not be empty')
    .transform((s) => s.toLowerCase()),
  symbol: z.string({ error: 'symbol must be a string' }).trim().min(1, 'symbol must not be empty'),
  dataTypes: z
    .array(z.enum(DATA_TYPES, { error: `data types must be among ${DATA_TYPES.join(', ')}` }), {
      error: 'dataTypes must be a list',
    })
    .min(1, 'at least one data type is required')
    .refine((list) => new Set(list).size === list.length, 'data types must not repeat'),
  autoRestart: z.boolean().default(true),
  healthCheckInterval: z
    .number()
    .positive('healthCheckInterval must be a positive number of seconds')
    .max(MAX_HEALTH_CHECK_INTERVAL_S, `healthCheckInterval must be at most ${MAX_HEALTH_CHECK_INTERVAL_S} s`)
    .default(DEFAULT_HEALTH_CHECK_INTERVAL_S),
  storeRawData: z.boolean().default(true),
  customParams: customParamsSchema,
});

/** What callers pass: the three required fields, the rest optional. */
export type ExchangeCollectorConfigInput = z.input<typeof configSchema>;

/**
 * Human-readable problems of a zod error, each prefixed by its field path unless the message
 * already names the field (`symbol must not be empty`, `Symbol is too long …`).
 */
export function formatIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    const field = String(issue.path.at(-1) ?? '').toLowerCase();
    if (path === '' || (field !== '' && issue.message.toLowerCase().startsWith(field))) return issue.message;
    return `${path}: ${issue.message}`;
  });
}

/** Problems of a zod error in a trader's words: messages written for people, no field paths. */
export function traderIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const written = issue.code === 'custom' || !/^(Too (big|small)|Invalid|Expected|Unrecognized)/.test(issue.message);
    const message = written ? issue.message : `${issue.path.map(String).join('.')}: ${issue.message}`;
    return message.charAt(0).toUpperCase() + message.slice(1);
  });
}

/** The object without its `undefined` entries (exactOptionalPropertyTypes: no `key: undefined`). */
export function withoutUndefined<T extends object>(value: { [K in keyof T]: T[K] | undefined }): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** Checks the shape of `input` without throwing; exchange rules are checked elsewhere. */
export function parseCollectorConfig(input: unknown): { ok: true; config: ExchangeCollectorConfig } | { ok: false; problems: string[] } {
  const result = configSchema.safeParse(input);
  if (!result.success) return { ok: false, problems: formatIssues(result.error) };
  const { customParams, ...rest } = result.data;
  const config: ExchangeCollectorConfig = {
    ...rest,
    customParams: withoutUndefined<CustomParams>(customParams),
  };
  return { ok: true, config: Object.freeze(config) };
}

/** Applies defaults and validates; throws InvalidConfigurationError listing every problem. */
export function createCollectorConfig(input: unknown): ExchangeCollectorConfig {
  const parsed = parseCollectorConfig(input);
  if (!parsed.ok) {
    const exchange =
      typeof input === 'object' && input !== null && typeof (input as { exchange?: unknown }).exchange === 'string'
        ? (input as { exchange: string }).exchange
        : undefined;
    throw new InvalidConfigurationError(parsed.problems, exchange);
  }
  return parsed.config;
}
