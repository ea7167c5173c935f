// Side-by-side book pipeline figures: for each stream, our pipeline (text in, checked book out,
// events published), ccxt pro's handler for the same venue (JSON.parse + its handleMessage, as
// its WebSocket client runs it, on a fake client) and bare JSON.parse of the same texts, run
// interleaved in one process (five rounds; the median rate of each is printed). Figures only.

export interface BookStream {
  readonly label: string;
  /** Messages in one pass. */
  readonly messages: number;
  /** One pass from a fresh state; throws when the book breaks. */
  readonly ours: () => void;
  readonly ccxt?: () => void;
  /** JSON.parse of every message of a pass. */
  readonly parse: () => void;
}

export interface StreamFigures {
  readonly label: string;
  readonly ours: number;
  readonly ccxt: number | undefined;
  readonly parse: number;
}

const ROUNDS = 5;

function rate(pass: () => void, messages: number, seconds: number): number {
  const started = performance.now();
  let passes = 0;
  do {
    pass();
    passes += 1;
  } while (performance.now() - started < seconds * 1000);
  return (passes * messages) / ((performance.now() - started) / 1000);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1] ?? 0;
}

/** Measures each stream for about `seconds` per contender. */
export function measureStreams(streams: readonly BookStream[], seconds: number): StreamFigures[] {
  return streams.map((stream) => {
    const contenders: [string, () => void][] = [
      ['ours', stream.ours],
      ['parse', stream.parse],
    ];
    if (stream.ccxt !== undefined) contenders.push(['ccxt', stream.ccxt]);
    for (const [, pass] of contenders) rate(pass, stream.messages, Math.min(0.2, seconds / 5)); // warm-up
    const rates = new Map<string, number[]>(contenders.map(([name]) => [name, []]));
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const [name, pass] of contenders) rates.get(name)?.push(rate(pass, stream.messages, seconds / ROUNDS));
    }
    const ccxt = rates.get('ccxt');
    return {
      label: stream.label,
      ours: median(rates.get('ours') ?? []),
      ccxt: ccxt === undefined ? undefined : median(ccxt),
      parse: median(rates.get('parse') ?? []),
    };
  });
}

/**
 * The figures of several processes ("forks") measuring the same streams, combined: each rate
 * and each ratio is the median over the forks (ratios are taken within a fork, where the
 * contenders ran side by side), and the ratios' range is kept. V8 makes its optimisation
 * choices anew in every process, and they move a stream's figures by up to a fifth from one
 * process to the next: one process's figure is a sample, not the rate.
 */
export function combineForks(forks: readonly (readonly StreamFigures[])[]): CombinedFigures[] {
  const first = forks[0] ?? [];
  return first.map((stream, i) => {
    const runs = forks.map((fork) => fork[i]).filter((f): f is StreamFigures => f !== undefined && f.label === stream.label);
    const ccxtRuns = runs.filter((f) => f.ccxt !== undefined);
    const ratios = (pick: (f: StreamFigures) => number): Spread => {
      const values = runs.map(pick).filter((v) => Number.isFinite(v));
      return { median: median(values), min: Math.min(...values), max: Math.max(...values) };
    };
    return {
      label: stream.label,
      forks: runs.length,
      ours: median(runs.map((f) => f.ours)),
      ccxt: ccxtRuns.length === 0 ? undefined : median(ccxtRuns.map((f) => f.ccxt ?? 0)),
      parse: median(runs.map((f) => f.parse)),
      oursPerCcxt: ccxtRuns.length === 0 ? undefined : ratios((f) => f.ours / (f.ccxt ?? Number.NaN)),
      oursPerParse: ratios((f) => f.ours / f.parse),
      ccxtPerParse: ccxtRuns.length === 0 ? undefined : ratios((f) => (f.ccxt ?? Number.NaN) / f.parse),
    };
  });
}

export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

export interface CombinedFigures {
  readonly label: string;
  readonly forks: number;
  readonly ours: number;
  readonly ccxt: number | undefined;
  readonly parse: number;
  readonly oursPerCcxt: Spread | undefined;
  readonly oursPerParse: Spread;
  readonly ccxtPerParse: Spread | undefined;
}

export function formatFigures(figures: readonly CombinedFigures[]): string[] {
  const fmt = (n: number | undefined): string => (n === undefined ? '—' : Math.round(n).toLocaleString('en-US'));
  const ratio = (s: Spread | undefined): string => (s === undefined ? '—' : s.median.toFixed(2));
  const range = (s: Spread | undefined): string => (s === undefined ? '—' : `${s.min.toFixed(2)}–${s.max.toFixed(2)}`);
  const width = Math.max(...figures.map((f) => f.label.length), 6);
  const lines = [
    `  ${'stream'.padEnd(width)}  ${'ours/s'.padStart(10)}  ${'ccxt/s'.padStart(10)}  ${'parse/s'.padStart(10)}  ours/ccxt  ours/parse  (forks' range)  ccxt/parse`,
  ];
  for (const f of figures) {
    lines.push(
      `  ${f.label.padEnd(width)}  ${fmt(f.ours).padStart(10)}  ${fmt(f.ccxt).padStart(10)}  ${fmt(f.parse).padStart(10)}  ${ratio(f.oursPerCcxt).padStart(9)}  ${ratio(f.oursPerParse).padStart(10)}  ${range(f.oursPerParse).padStart(14)}  ${ratio(f.ccxtPerParse).padStart(10)}`,
    );
  }
  return lines;
}

/**
 * A text as a socket delivers it: decoded from bytes into one flat string. Texts built with
 * template literals are ropes, which our character scans (not JSON.parse, which flattens once)
 * would pay for on every read; the app never sees one.
 */
export function asReceived(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8');
}

/** JSON.parse of every text, kept from being optimized away. */
export function parsePass(texts: readonly string[]): () => void {
  return () => {
    let sink = 0;
    for (const text of texts) sink += typeof JSON.parse(text) === 'object' ? 1 : 0;
    if (sink !== texts.length) throw new Error('a text did not parse to an object');
  };
}
