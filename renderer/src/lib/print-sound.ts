// A short tone for a large print: higher for buys, lower for sells, louder and longer the
// larger the print against its threshold (aggr's idea). Web Audio, created on the trader's
// click (a page may only start audio after a gesture); at most a few tones a second.

const MAX_PER_SECOND = 6;

export class PrintSound {
  private context: AudioContext | undefined;
  private second = 0;
  private played = 0;

  /** Call from the click that turns sound on. */
  unlock(): void {
    this.context ??= new AudioContext();
    void this.context.resume().catch(() => undefined);
  }

  /** One tone for a print `ratio` times its threshold (≥ 1). */
  play(side: 'buy' | 'sell', ratio: number): void {
    const context = this.context;
    if (context === undefined || context.state === 'closed') return;
    const second = Math.floor(performance.now() / 1000);
    if (second !== this.second) {
      this.second = second;
      this.played = 0;
    }
    if (this.played >= MAX_PER_SECOND) return;
    this.played += 1;
    const scale = Math.min(4, 1 + Math.log10(Math.max(1, ratio)));
    const start = context.currentTime;
    const length = 0.05 * scale;
    const oscillator = context.createOscillator();
    const gain = context.createGain();
    oscillator.type = 'triangle';
    oscillator.frequency.value = side === 'buy' ? 880 : 440;
    gain.gain.setValueAtTime(0.04 * scale, start);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + length);
    oscillator.connect(gain).connect(context.destination);
    oscillator.start(start);
    oscillator.stop(start + length);
  }

  close(): void {
    void this.context?.close().catch(() => undefined);
    this.context = undefined;
  }
}
