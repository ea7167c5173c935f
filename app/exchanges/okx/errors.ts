// OKX error codes and close codes mapped to our error classes, with messages a trader can act on.

import type { CloseDecision } from '../../core/ws-client.js';
import { type ExchangeError, ExchangeProtocolError, RateLimitError, SubscriptionError } from '../../core/errors.js';

const EXCHANGE = 'okx';

/** An `event:"error"` from OKX as one of our errors. */
export function okxEventError(code: string, msg: string): ExchangeError {
  const options = { exchange: EXCHANGE, exchangeCode: code };
  switch (code) {
    case '60018':
      return new SubscriptionError(`OKX does not know this instrument or channel (60018): ${msg}`, options);
    case '64001':
      return new SubscriptionError(`OKX moved this channel to the business endpoint (64001): ${msg}`, options);
    case '64002':
      return new SubscriptionError(`OKX does not offer this channel on the business endpoint (64002): ${msg}`, options);
    case '64003':
      return new SubscriptionError(`OKX requires a higher fee tier for this channel (64003): ${msg}`, options);
    case '64004':
      return new SubscriptionError(`OKX cannot combine this channel with books-l2-tbt on one connection (64004): ${msg}`, options);
    case '60011':
      return new SubscriptionError(`OKX requires login for this channel (60011): ${msg}`, options);
    case '60012':
    case '60013':
      return new SubscriptionError(`OKX rejected the request as invalid (${code}): ${msg}`, options);
    case '60014':
      return new RateLimitError(`OKX says requests are too frequent (60014): ${msg}`, 1000, options);
    case '64007':
      return new ExchangeProtocolError(`OKX internal error, retrying (64007): ${msg}`, options);
    default:
      return new ExchangeProtocolError(`OKX error ${code}: ${msg}`, options);
  }
}

/** What an OKX WebSocket close code means for the connection. */
export function classifyOkxClose(code: number, reason: string): CloseDecision {
  const detail = reason === '' ? '' : `: ${reason}`;
  switch (code) {
    case 4004:
      return { action: 'reconnect', reason: `OKX closed an idle connection (4004${detail})`, immediate: true };
    case 4005:
      return { action: 'reconnect', reason: `OKX's send buffer for us filled up: we read too slowly (4005${detail})` };
    case 4008:
    case 4009:
      return { action: 'fatal', reason: `too many channels on one OKX connection (${code}${detail})` };
    case 4001:
    case 4007:
      return { action: 'fatal', reason: `OKX rejected the login (${code}${detail})` };
    case 1002:
    case 1003:
      return { action: 'fatal', reason: `protocol error (${code}${detail})` };
    default:
      return { action: 'reconnect', reason: `OKX closed the connection (${code}${detail})` };
  }
}
