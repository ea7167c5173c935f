// Labels of the candle chart's time axis and legend, in local time. The axis shows dates at
// day, month and year boundaries (so 1H, 4H and 1D charts read as dates) and clock times
// within a day. Tick kinds are Lightweight Charts' TickMarkType values.

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number): string => String(n).padStart(2, '0');

/** Lightweight Charts' TickMarkType: Year 0, Month 1, DayOfMonth 2, Time 3, TimeWithSeconds 4. */
export const TICK = { year: 0, month: 1, dayOfMonth: 2, time: 3, timeWithSeconds: 4 } as const;

/** An axis label for a tick at `seconds` (Unix seconds) of the given kind. */
export function tickLabel(seconds: number, kind: number): string {
  const date = new Date(seconds * 1000);
  switch (kind) {
    case TICK.year:
      return String(date.getFullYear());
    case TICK.month:
      return `${MONTHS[date.getMonth()] ?? ''} ${date.getFullYear()}`;
    case TICK.dayOfMonth:
      return `${date.getDate()} ${MONTHS[date.getMonth()] ?? ''}`;
    case TICK.timeWithSeconds:
      return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
    default:
      return `${pad(date.getHours())}:${pad(date.getMinutes())}`;
  }
}

/** The time of a candle in the legend and crosshair: a date, and the clock time below a day. */
export function candleTime(ms: number, timeframe: string): string {
  const d = new Date(ms);
  const day = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  // Days, weeks and months (upper-case M) are dates; minutes (lower-case m) and hours have times.
  return /[DWM]$/.test(timeframe) ? day : `${day} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
