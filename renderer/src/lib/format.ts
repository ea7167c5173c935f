// Number formatting and book/trade shaping for the UI. Pure functions (unit-tested in Node).

import type { ShownBook, LevelTuple, TradePrint } from '../../../main/contract.js';

/** Decimal places of an increment such as `0.01` (2) or `1` (0). */
export function decimalsOf(step: string | undefined, fallback = 2): number {
  if (step === undefined || step === '') return fallback;
  if (/e-/i.test(step)) return Number(step.split(/e-/i)[1] ?? fallback);
  const dot = step.indexOf('.');
  return dot < 0 ? 0 : step.replace(/0+$/, '').length - dot - 1;
}

/** Decimal places used by an exchange string (`30236.5` → 1). */
export function decimalsIn(text: string): number {
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
}

/** One formatter per number of decimals: making one costs far more than formatting with it. */
const fixedFormats: Intl.NumberFormat[] = [];

export function formatFixed(value: number | undefined, decimals: number): string {
  if (value === undefined || !Number.isFinite(value)) return '—';
  const places = Math.min(20, Math.max(0, Math.trunc(decimals)));
  let format = fixedFormats[places];
  if (format === undefined) {
    format = new Intl.NumberFormat('en-US', { minimumFractionDigits: places, maximumFractionDigits: places });
    fixedFormats[places] = format;
  }
  return format.format(value);
}

/**
 * Sizes with the instrument's lot decimals (at most 6), so a column lines up; very large
 * values turn compact (12.35M). Without a lot size, up to 4 decimals.
 */
export function formatSize(value: number, lotSize: string | undefined): string {
  if (!Number.isFinite(value)) return '—';
  if (Math.abs(value) >= 1e6) return formatCompact(value);
  return formatFixed(value, Math.min(6, decimalsOf(lotSize, 4)));
}

/** `0.2 (0.03 bp)`: the spread in price and in basis points of the mid, two decimals. */
export function formatSpread(bid: number, ask: number, priceDecimals: number): string {
  const spread = ask - bid;
  const mid = (ask + bid) / 2;
  const bp = mid === 0 ? 0 : (spread / mid) * 10_000;
  return `${formatFixed(spread, priceDecimals)} (${bp.toFixed(2)} bp)`;
}

/** The unit sizes are counted in, for column headers: `BTC`, or `cont` (with what one is worth). */
export function sizeUnitLabel(item: { sizeUnit?: string; contractValue?: string; contractUnit?: string }): { short: string; title: string | undefined } {
  if (item.sizeUnit === undefined) return { short: '', title: undefined };
  if (item.sizeUnit !== 'cont') return { short: item.sizeUnit, title: `Sizes in ${item.sizeUnit}` };
  const worth =
    item.contractValue === undefined ? '' : ` (1 contract = ${item.contractValue}${item.contractUnit === undefined ? '' : ` ${item.contractUnit}`})`;
  return { short: 'cont', title: `Sizes in contracts${worth}` };
}

/** Compact sizes for narrow columns: 1234.5 → 1.23K. */
export function formatCompact(value: number): string {
  if (!Number.isFinite(value)) return '—';
  const abs = Math.abs(value);
  if (abs >= 1e9) return `${(value / 1e9).toFixed(2)}B`;
  if (abs >= 1e6) return `${(value / 1e6).toFixed(2)}M`;
  if (abs >= 1e4) return `${(value / 1e3).toFixed(2)}K`;
  if (abs >= 1) return value.toFixed(abs >= 100 ? 1 : 3);
  return value.toPrecision(3);
}

export function formatDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  const h = Math.floor(m / 60);
  return h < 48 ? `${h}h ${m % 60}m` : `${Math.floor(h / 24)}d ${h % 24}h`;
}

export function changePercent(last: number | undefined, open: number | undefined): number | undefined {
  if (last === undefined || open === undefined || open === 0) return undefined;
  return ((last - open) / open) * 100;
}

export interface LadderRow {
  readonly price: number;
  readonly size: number;
  readonly total: number;
}

/**
 * Groups levels into buckets of `step` (a multiple of the tick size): bids round down, asks
 * round up, so a bucket never claims a better price than its orders. Sizes add up; `total` is
 * the running sum from the best bucket outwards. Returns at most `rows` buckets.
 */
export function groupLevels(levels: readonly LevelTuple[], side: 'bid' | 'ask', step: number, rows: number): LadderRow[] {
  const out: LadderRow[] = [];
  let total = 0;
  for (const [priceText, sizeText] of levels) {
    const price = Number(priceText);
    const size = Number(sizeText);
    const ratio = price / step;
    // Tolerate float noise so 100.1 / 0.1 lands on bucket 1001, not 1000.99999.
    const bucket = side === 'bid' ? Math.floor(ratio + 1e-9) : Math.ceil(ratio - 1e-9);
    const bucketPrice = Number((bucket * step).toFixed(10));
    const last = out.at(-1);
    total += size;
    if (last !== undefined && Math.abs(last.price - bucketPrice) < step / 2) {
      out[out.length - 1] = { price: last.price, size: last.size + size, total };
    } else {
      if (out.length === rows) break;
      out.push({ price: bucketPrice, size, total });
    }
  }
  return out;
}

export interface TapeRow {
  readonly key: string;
  readonly side: 'buy' | 'sell';
  readonly price: string;
  readonly size: number;
  readonly ts: number;
  /** Prints merged into this row. */
  readonly prints: number;
}

/**
 * Newest first. Consecutive prints of the same millisecond and side are one taker order
 * sweeping levels: they become one row (summed size, the last price). Rows smaller than
 * `minSize` are hidden.
 */
export function tapeRows(trades: readonly TradePrint[], minSize: number, limit: number): TapeRow[] {
  const rows: TapeRow[] = [];
  // A row is complete once a print that cannot join it arrives; the filter applies to whole
  // rows, and the search goes through every kept trade until `limit` rows pass it.
  let open: TapeRow | undefined;
  const close = (): void => {
    if (open !== undefined && open.size >= minSize) rows.push(open);
    open = undefined;
  };
  for (let i = trades.length - 1; i >= 0 && rows.length < limit; i -= 1) {
    const trade = trades[i];
    if (trade === undefined) continue;
    const size = Number(trade.size);
    if (open !== undefined && open.ts === trade.ts && open.side === trade.side) {
      open = { ...open, size: open.size + size, prints: open.prints + 1 };
    } else {
      close();
      open = { key: trade.tradeId, side: trade.side, price: trade.price, size, ts: trade.ts, prints: 1 };
    }
  }
  if (rows.length < limit) close();
  return rows;
}

const RECOVERY_WORDS = { waiting: 'waiting for a snapshot', resync: 'resyncing', resubscribe: 'resubscribing', reconnect: 'reconnecting' } as const;

/** Ages for status words: `850 ms`, `12 s`, `3m 5s`. */
export function formatAge(ms: number): string {
  return formatDuration(Math.max(0, ms));
}

/**
 * What a book's state means for a trader, in words, at host time `now`: whether it is live,
 * and otherwise why not and what is being done about it. Shown wherever the book is drawn.
 */
export function describeBook(book: Pick<ShownBook, 'state' | 'lastChangeAt' | 'recovery'> | undefined, now: number): { live: boolean; label: string } {
  if (book === undefined) return { live: false, label: 'Waiting for the order book…' };
  const age = book.lastChangeAt === null ? '' : ` — last change ${formatAge(now - book.lastChangeAt)} ago`;
  const recovery = book.recovery;
  const doing =
    recovery === null
      ? ''
      : ` · ${RECOVERY_WORDS[recovery.step]}${recovery.escalations > 0 ? ` (escalation ${recovery.escalations})` : ''} · not valid for ${formatAge(now - recovery.since)}`;
  switch (book.state) {
    case 'valid':
      return { live: true, label: 'live' };
    case 'stale':
      return { live: false, label: `STALE${age}${doing}` };
    case 'syncing':
      return { live: false, label: `Order book resynchronizing — not live${doing}` };
    case 'invalid':
      return { live: false, label: `Order book invalid — not live${doing}` };
    case 'stopped':
      return { live: false, label: 'Feed stopped — not live' };
    case 'none':
      return { live: false, label: 'No order book for this feed' };
  }
}

/** The book column of the health panel: `valid`, `stale 12 s · resubscribing`, `invalid · reconnecting (escalation 2) 31 s`. */
export function bookHealthText(book: Pick<ShownBook, 'state' | 'lastChangeAt' | 'recovery'>, now: number): string {
  const head = book.state === 'stale' && book.lastChangeAt !== null ? `stale ${formatAge(now - book.lastChangeAt)}` : book.state;
  const recovery = book.recovery;
  if (recovery === null) return head;
  const escalated = recovery.escalations > 0 ? ` (escalation ${recovery.escalations})` : '';
  return `${head} · ${RECOVERY_WORDS[recovery.step]}${escalated} ${formatAge(now - recovery.since)}`;
}

/** The status column of the health panel: the state, the stale streams, the restart plan. */
export function collectorHealthText(
  status: { status: string; staleStreams: readonly string[]; autoRestart: { attempts: number; nextAt: number | null; everyMs: number | null } | null },
  now: number,
): string {
  const parts = [status.status];
  if (status.staleStreams.length > 0) parts.push(`stale: ${status.staleStreams.map(streamName).join(', ')}`);
  const restart = status.autoRestart;
  if (restart !== null && status.status === 'error') {
    if (restart.everyMs !== null) parts.push(`retrying every ${formatAge(restart.everyMs)}`);
    else if (restart.nextAt !== null) parts.push(`retry ${restart.attempts + 1} in ${formatAge(restart.nextAt - now)}`);
  }
  return parts.join(' · ');
}

function streamName(key: string): string {
  if (key === 'orderbook') return 'book';
  if (key === 'trade') return 'trades';
  return key.startsWith('candles:') ? `${key.slice(8)} candles` : key;
}

interface StreamStatusLike {
  readonly status: string;
  readonly lastMessageAt: number | null;
  readonly streams: Readonly<Record<string, { readonly state: string; readonly lastMessageAt: number | null } | undefined>>;
}

/**
 * Whether values of one stream (`trade`, `ticker`, `candles:1m` …) may be shown as live, and if
 * not, the words that go next to them: `stopped 40 s ago`, `stale — last 12 s ago`.
 */
export function streamFreshness(status: StreamStatusLike | undefined, stream: string, now: number): { live: boolean; label: string | undefined } {
  if (status === undefined) return { live: false, label: 'waiting for the feed' };
  const last = status.streams[stream]?.lastMessageAt ?? status.lastMessageAt;
  const ago = last === null ? '' : ` ${formatAge(now - last)} ago`;
  switch (status.status) {
    case 'stopped':
      return { live: false, label: `stopped${ago}` };
    case 'error':
      return { live: false, label: `feed failed — last data${ago}` };
    case 'reconnecting':
      return { live: false, label: `reconnecting — last data${ago}` };
    case 'starting':
      return { live: false, label: 'starting' };
    default:
      if (status.streams[stream]?.state === 'stale') return { live: false, label: `stale — last${ago}` };
      return { live: true, label: undefined };
  }
}
