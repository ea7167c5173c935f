// NATS subjects of the cluster, one place: a feed's normalized events on
// `md.<venue>.<symbol>.<stream>` (stream: trade, book, ticker, candle, status), its raw frames on
// `raw.<venue>.<symbol>`, and its book's snapshot served on `snap.<venue>.<symbol>`. A symbol
// is one subject token: characters a token cannot hold (`.`, `*`, `>`, spaces) are escaped.

export const STREAMS = ['trade', 'book', 'ticker', 'candle', 'status'] as const;
export type FeedStream = (typeof STREAMS)[number];

/** `text` with every character `keep` does not match written `=<hex code point>` (readable, reversible). */
export function escapeExcept(text: string, keep: RegExp): string {
  return [...text].map((c) => (keep.test(c) ? c : `=${c.codePointAt(0)?.toString(16).padStart(2, '0') ?? ''}`)).join('');
}

/** One subject token for a venue's symbol (`BTC-USDT`, `BTC/USD`, `BTC=2eX` for `BTC.X`). */
export function subjectToken(text: string): string {
  return escapeExcept(text, /[A-Za-z0-9_/:-]/);
}

function feedParts(feed: string): [venue: string, symbol: string] {
  const at = feed.indexOf(':');
  return at < 0 ? [feed, ''] : [feed.slice(0, at), feed.slice(at + 1)];
}

export function eventSubject(feed: string, stream: FeedStream): string {
  const [venue, symbol] = feedParts(feed);
  return `md.${subjectToken(venue)}.${subjectToken(symbol)}.${stream}`;
}

/** Every stream of a feed (`md.okx.BTC-USDT.>`). */
export function feedWildcard(feed: string): string {
  const [venue, symbol] = feedParts(feed);
  return `md.${subjectToken(venue)}.${subjectToken(symbol)}.>`;
}

export function rawSubject(feed: string): string {
  const [venue, symbol] = feedParts(feed);
  return `raw.${subjectToken(venue)}.${subjectToken(symbol)}`;
}

export function snapshotSubject(feed: string): string {
  const [venue, symbol] = feedParts(feed);
  return `snap.${subjectToken(venue)}.${subjectToken(symbol)}`;
}
