// The heatmap's pointer: the wheel zooms time (with Shift, price) around the pointer, dragging
// pans both and stops following the market, moving reads out the time, price and resting size
// under the pointer. Reads the view from the canvas's data attributes, which each draw sets.

import { useEffect, type RefObject } from 'react';
import { HISTORY_MS, type SymbolHistory } from '../lib/book-history';
import { priceAt, timeAt, type Viewport } from '../lib/heatmap-paint';
import { histories } from '../store/history';

export const AXIS_RIGHT = 70;
export const AXIS_BOTTOM = 18;
const MIN_SPAN_MS = 5_000;

/** How the trader has placed the map; `end: null` follows the present, `centre: null` the mid. */
export interface Placement {
  span: number;
  end: number | null;
  centre: number | null;
  /** Price range shown; null picks one from the book. */
  range: number | null;
}

export interface Hover {
  readonly time: number;
  readonly price: number;
  readonly size: number | undefined;
}

export function useMapPointer(
  canvasRef: RefObject<HTMLCanvasElement | null>,
  placement: RefObject<Placement>,
  marks: { moved: RefObject<boolean>; pointer: RefObject<{ x: number; y: number } | undefined> },
  id: string,
  show: { setFollowing: (following: boolean) => void; setSpan: (span: number) => void; setHover: (hover: Hover | undefined) => void },
): void {
  const { moved, pointer } = marks;
  const { setFollowing, setSpan, setHover } = show;
  useEffect(() => {
    const canvas = canvasRef.current;
    if (canvas === null) return;
    const current = (): Viewport | undefined => {
      const low = Number(canvas.dataset['low']);
      const high = Number(canvas.dataset['high']);
      const start = Number(canvas.dataset['start']);
      const end = Number(canvas.dataset['end']);
      return [low, high, start, end].every(Number.isFinite) && high > low ? { low, high, start, end } : undefined;
    };
    const plot = (): { w: number; h: number } => ({ w: canvas.width - AXIS_RIGHT, h: canvas.height - AXIS_BOTTOM });
    const onWheel = (e: WheelEvent): void => {
      const view = current();
      if (view === undefined) return;
      e.preventDefault();
      const factor = e.deltaY > 0 ? 1.2 : 1 / 1.2;
      const { w, h } = plot();
      const p = placement.current;
      if (e.shiftKey) {
        const anchor = priceAt(view, h, e.offsetY);
        const range = (view.high - view.low) * factor;
        const share = (view.high - anchor) / (view.high - view.low);
        p.range = range;
        p.centre = anchor + share * range - range / 2;
      } else {
        const anchor = timeAt(view, w, e.offsetX);
        const spanMs = Math.min(HISTORY_MS, Math.max(MIN_SPAN_MS, p.span * factor));
        const share = (anchor - view.start) / (view.end - view.start);
        // Zooming while following keeps following; otherwise the time under the pointer stays put.
        if (p.end !== null) p.end = anchor + (1 - share) * spanMs;
        p.span = spanMs;
        setSpan(spanMs);
      }
      moved.current = true;
    };
    let drag: { x: number; y: number; view: Viewport } | undefined;
    const onDown = (e: PointerEvent): void => {
      const view = current();
      if (view === undefined || e.button !== 0) return;
      drag = { x: e.clientX, y: e.clientY, view };
      canvas.setPointerCapture(e.pointerId);
    };
    const onMove = (e: PointerEvent): void => {
      pointer.current = { x: e.offsetX, y: e.offsetY };
      moved.current = true;
      const { w, h } = plot();
      const view = current();
      if (drag !== undefined) {
        const dx = e.clientX - drag.x;
        const dy = e.clientY - drag.y;
        const p = placement.current;
        if (Math.abs(dx) >= 2) {
          p.end = drag.view.end - (dx / w) * (drag.view.end - drag.view.start);
          setFollowing(false);
        }
        if (Math.abs(dy) >= 2) {
          p.centre = (drag.view.low + drag.view.high) / 2 + (dy / h) * (drag.view.high - drag.view.low);
          p.range = drag.view.high - drag.view.low;
          setFollowing(false);
        }
      }
      if (view === undefined || e.offsetX >= w || e.offsetY >= h) {
        setHover(undefined);
        return;
      }
      const time = timeAt(view, w, e.offsetX);
      const price = priceAt(view, h, e.offsetY);
      setHover({ time, price, size: restingAt(histories.get(id), time, price) });
    };
    const onUp = (e: PointerEvent): void => {
      drag = undefined;
      if (canvas.hasPointerCapture(e.pointerId)) canvas.releasePointerCapture(e.pointerId);
    };
    const onLeave = (): void => {
      pointer.current = undefined;
      moved.current = true;
      setHover(undefined);
    };
    canvas.addEventListener('wheel', onWheel, { passive: false });
    canvas.addEventListener('pointerdown', onDown);
    canvas.addEventListener('pointermove', onMove);
    canvas.addEventListener('pointerup', onUp);
    canvas.addEventListener('pointerleave', onLeave);
    return () => {
      canvas.removeEventListener('wheel', onWheel);
      canvas.removeEventListener('pointerdown', onDown);
      canvas.removeEventListener('pointermove', onMove);
      canvas.removeEventListener('pointerup', onUp);
      canvas.removeEventListener('pointerleave', onLeave);
    };
  }, [canvasRef, placement, moved, pointer, id, setFollowing, setSpan, setHover]);
}

/** The resting size at `price` in the column drawn at `time`. */
function restingAt(history: SymbolHistory | undefined, time: number, price: number): number | undefined {
  const columns = history?.columns;
  if (columns === undefined) return undefined;
  const i = columns.indexAt(time);
  if (i < 0) return undefined;
  const column = columns.column(i);
  for (const [side, count] of [
    ['bid', column.bidCount],
    ['ask', column.askCount],
  ] as const) {
    for (let l = 0; l < count; l += 1) {
      const [p, size] = columns.level(i, side, l);
      if (Math.abs(p - price) <= column.step / 2) return size;
    }
  }
  return undefined;
}
