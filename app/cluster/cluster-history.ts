// Candle history through the cluster: a host that takes a feed from the nodes may not reach the
// exchange at all, so a node fetches the history from the venue's REST API for it. Any node
// answers (a queue group: history needs no lease), the request names the venue, symbol and
// timeframe, and the answer is checked like any input from another machine.

import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { z } from 'zod';
import { describeError } from '../core/errors.js';
import { getLogger } from '../core/logger.js';
import type { Candle } from '../core/types.js';
import type { MarketHistory } from '../exchanges/types.js';
import { subjectToken } from './subjects.js';

const log = getLogger('cluster');

export const HISTORY_QUEUE = 'td-history';
const MAX_CANDLES = 1000;

/** `hist.<venue>.<symbol>`. */
export function historySubject(exchange: string, symbol: string): string {
  return `hist.${subjectToken(exchange)}.${subjectToken(symbol)}`;
}

const requestSchema = z.strictObject({
  exchange: z.string().min(1).max(32),
  symbol: z.string().min(1).max(64),
  timeframe: z.string().min(1).max(8),
  limit: z.int().min(1).max(MAX_CANDLES),
});
export type HistoryRequest = z.infer<typeof requestSchema>;

const candleSchema = z.object({
  kind: z.literal('candle'),
  exchange: z.string(),
  symbol: z.string(),
  exchangeTs: z.number(),
  receivedAt: z.number(),
  timeframe: z.string(),
  openTime: z.number(),
  open: z.number(),
  openStr: z.string(),
  high: z.number(),
  highStr: z.string(),
  low: z.number(),
  lowStr: z.string(),
  close: z.number(),
  closeStr: z.string(),
  volume: z.number(),
  volumeStr: z.string(),
  quoteVolume: z.number().optional(),
  closed: z.boolean(),
});
const answerSchema = z.union([z.strictObject({ candles: z.array(candleSchema).max(MAX_CANDLES) }), z.strictObject({ error: z.string().max(2000) })]);

/** Serves history requests on a node, from the venues' REST APIs. */
export function serveHistory(nc: NatsConnection, history: (exchange: string) => Promise<MarketHistory | undefined>): Subscription {
  const encoder = new TextEncoder();
  return nc.subscribe('hist.>', {
    queue: HISTORY_QUEUE,
    callback: (error, message) => {
      if (error !== null) return;
      const reply = (answer: unknown): void => {
        try {
          message.respond(encoder.encode(JSON.stringify(answer)));
        } catch (respondError) {
          log.debug({ err: describeError(respondError) }, 'history answer not sent');
        }
      };
      void (async () => {
        let request: HistoryRequest;
        try {
          request = requestSchema.parse(JSON.parse(message.string()));
        } catch {
          reply({ error: 'a malformed history request' });
          return;
        }
        try {
          const source = await history(request.exchange);
          if (source === undefined) return reply({ error: `${request.exchange} has no candle history` });
          reply({ candles: await source.candles(request.symbol, request.timeframe, request.limit) });
        } catch (fetchError) {
          reply({ error: describeError(fetchError) });
        }
      })();
    },
  });
}

/** Asks the cluster for candle history; throws with the node's reason when it has none. */
export async function requestHistory(nc: NatsConnection, request: HistoryRequest, timeoutMs = 15_000): Promise<Candle[]> {
  const message = await nc.request(historySubject(request.exchange, request.symbol), JSON.stringify(requestSchema.parse(request)), { timeout: timeoutMs });
  let value: unknown;
  try {
    value = JSON.parse(message.string());
  } catch {
    throw new Error('the node sent an unreadable candle history');
  }
  const parsed = answerSchema.safeParse(value);
  if (!parsed.success) throw new Error('the node sent a malformed candle history');
  if ('error' in parsed.data) throw new Error(`the node could not fetch candle history: ${parsed.data.error}`);
  return parsed.data.candles as Candle[];
}
