// StreamLiveness: is one subscribed stream (a book, trades, a ticker, one candle timeframe)
// still alive? Judged on its own, never by the socket: its silence is compared with a
// threshold learned from its recent cadence (a multiple of the median gap between its
// messages, at least a floor), capped by what the venue guarantees (OKX sends a no-change
// keep-alive on `books` after about 60 s, so a book silent far longer is stale whatever its
// cadence). A stream that has not shown enough messages to learn a cadence is never judged
// by it — a quiet, illiquid instrument is not flagged — only by the venue's cap.

/** How one stream's silence is judged. */
export interface LivenessPolicy {
  /** Threshold = this × the median gap between messages … */
  readonly cadenceFactor: number;
  /** … and never less than this. */
  readonly minStaleMs: number;
  /** The venue's guarantee: beyond this silence the stream is stale whatever its cadence. */
  readonly maxSilenceMs?: number;
  /** Gaps needed before the learned threshold is used. */
  readonly minSamples: number;
}

export const DEFAULT_LIVENESS: LivenessPolicy = { cadenceFactor: 20, minStaleMs: 3000, minSamples: 8 };

/** `waiting`: nothing received yet; `live`; `stale`: silent for longer than the threshold. */
export type StreamState = 'waiting' | 'live' | 'stale';

export interface StreamJudgement {
  readonly state: StreamState;
  /** Silence so far, ms (null before the first message). */
  readonly ageMs: number | null;
  /** The silence that makes it stale now; null while it cannot be judged. */
  readonly thresholdMs: number | null;
}

const GAP_SAMPLES = 64;

export class StreamLiveness {
  /** Last message of any kind, keep-alives included (signs of life). */
  lastMessageAt: number | null = null;
  /** Last message that carried data (for a book: the last change). */
  lastDataAt: number | null = null;
  messages = 0;
  private readonly gaps = new Float64Array(GAP_SAMPLES);
  private gapCount = 0;
  private gapIndex = 0;
  private medianCache: number | undefined;

  constructor(readonly policy: LivenessPolicy = DEFAULT_LIVENESS) {}

  /** A message arrived; `data` false for a keep-alive that only proves the stream is alive. */
  mark(at: number, data = true): void {
    const previous = this.lastMessageAt;
    this.messages += 1;
    this.lastMessageAt = at;
    if (data) this.lastDataAt = at;
    // Several events of one frame arrive at the same instant; only real gaps are cadence.
    if (previous !== null && at > previous) {
      this.gaps[this.gapIndex] = at - previous;
      this.gapIndex = (this.gapIndex + 1) % GAP_SAMPLES;
      this.gapCount = Math.min(GAP_SAMPLES, this.gapCount + 1);
      this.medianCache = undefined;
    }
  }

  /** Forget the learned cadence (after a resubscribe the stream starts over). */
  relearn(): void {
    this.gapCount = 0;
    this.gapIndex = 0;
    this.medianCache = undefined;
  }

  /** Median gap between messages, ms; undefined until enough were seen. */
  medianGapMs(): number | undefined {
    if (this.gapCount < this.policy.minSamples) return undefined;
    if (this.medianCache === undefined) {
      const sorted = Array.from(this.gaps.subarray(0, this.gapCount)).sort((a, b) => a - b);
      const middle = sorted.length >> 1;
      this.medianCache = sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
    }
    return this.medianCache;
  }

  thresholdMs(): number | null {
    const { cadenceFactor, minStaleMs, maxSilenceMs } = this.policy;
    const median = this.medianGapMs();
    const learned = median === undefined ? undefined : Math.max(minStaleMs, cadenceFactor * median);
    if (learned === undefined) return maxSilenceMs ?? null;
    return maxSilenceMs === undefined ? learned : Math.min(learned, maxSilenceMs);
  }

  /** The stream's state at `now`, measured from its last sign of life. */
  judge(now: number): StreamJudgement {
    const thresholdMs = this.thresholdMs();
    if (this.lastMessageAt === null) return { state: 'waiting', ageMs: null, thresholdMs };
    const ageMs = Math.max(0, now - this.lastMessageAt);
    return { state: thresholdMs !== null && ageMs > thresholdMs ? 'stale' : 'live', ageMs, thresholdMs };
  }
}
