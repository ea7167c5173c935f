// NATS subjects of the cluster, one place: a feed's normalized events on
// `md.<venue>.<symbol>.<stream>` (stream: trade, book, ticker, candle, status), its raw frames on
// `raw.<venue>.<symbol>`, its book's checkpoints on `md.<venue>.<symbol>.checkpoint`, and its
// book's snapshot served on `snap.<venue>.<symbol>`. A symbol
// is one subject token: characters a token cannot hold (`.`, `*`, `>`, spaces) are escaped.

export const STREAMS = ['trade', 'book', 'ticker', 'candle', 'status'] as const;
export type FeedStream = (typeof STREAMS)[number];

/**
 * `text` with every character `keep` does not match written as its UTF-8 bytes, `=<two hex
 * digits>` each (readable, and reversible by `unescapeText` whatever follows: `=` itself is
 * always escaped, and every escape is exactly three characters).
 */
export function escapeExcept(text: string, keep: RegExp): string {
  let out = '';
  for (const c of text) {
    if (c !== '=' && keep.test(c)) out += c;
    else for (const byte of Buffer.from(c, 'utf8')) out += `=${byte.toString(16).padStart(2, '0')}`;
  }
  return out;
}

/** The text `escapeExcept` was given. */
export function unescapeText(escaped: string): string {
  return escaped.replace(/(?:=[0-9a-f]{2})+/g, (run) => Buffer.from(run.replace(/=/g, ''), 'hex').toString('utf8'));
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

/**
 * The feed a subject of ours belongs to (`md.okx.BTC-USDT.book` → `okx:BTC-USDT`, `raw.…` the
 * same), and the stream for `md` subjects; undefined for any other subject.
 */
export function feedOfSubject(subject: string): { readonly kind: 'md' | 'raw'; readonly feed: string; readonly stream: string } | undefined {
  const tokens = subject.split('.');
  const [kind, venue, symbol, stream] = tokens;
  if (venue === undefined || symbol === undefined) return undefined;
  const feed = `${unescapeText(venue)}:${unescapeText(symbol)}`;
  if (kind === 'md' && tokens.length === 4 && stream !== undefined) return { kind, feed, stream };
  if (kind === 'raw' && tokens.length === 3) return { kind, feed, stream: 'raw' };
  return undefined;
}

/** A feed's book checkpoints (for recordings on the cluster): `md.<venue>.<symbol>.checkpoint`. */
export function checkpointSubject(feed: string): string {
  const [venue, symbol] = feedParts(feed);
  return `md.${subjectToken(venue)}.${subjectToken(symbol)}.checkpoint`;
}

/** Asks every node for a checkpoint of each feed it collects now (a recording starts). */
export const CHECKPOINT_REQUEST = 'td.checkpoint';

export function snapshotSubject(feed: string): string {
  const [venue, symbol] = feedParts(feed);
  return `snap.${subjectToken(venue)}.${subjectToken(symbol)}`;
}
