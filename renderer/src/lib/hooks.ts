import { useCallback, useEffect, useRef, useState } from 'react';

/**
 * The element's content height in CSS pixels, kept current as the layout changes. A callback
 * ref: an element mounted later (a panel switched back to) is measured too.
 */
export function useHeight<T extends HTMLElement>(): [(element: T | null) => void, number] {
  const [height, setHeight] = useState(0);
  const observer = useRef<ResizeObserver | null>(null);
  const ref = useCallback((element: T | null) => {
    observer.current?.disconnect();
    observer.current = null;
    if (element === null) return;
    const watching = new ResizeObserver(([entry]) => setHeight(entry?.contentRect.height ?? 0));
    watching.observe(element);
    observer.current = watching;
  }, []);
  return [ref, height];
}

/** Current time, re-read every `ms` (for ages such as "stale 12 s" that must keep counting). */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}

/** The element's content width and height in CSS pixels, kept current (a callback ref, as useHeight). */
export function useSize<T extends HTMLElement>(): [(element: T | null) => void, { width: number; height: number }] {
  const [size, setSize] = useState({ width: 0, height: 0 });
  const observer = useRef<ResizeObserver | null>(null);
  const ref = useCallback((element: T | null) => {
    observer.current?.disconnect();
    observer.current = null;
    if (element === null) return;
    const watching = new ResizeObserver(([entry]) => {
      const width = Math.floor(entry?.contentRect.width ?? 0);
      const height = Math.floor(entry?.contentRect.height ?? 0);
      setSize((old) => (old.width === width && old.height === height ? old : { width, height }));
    });
    watching.observe(element);
    observer.current = watching;
  }, []);
  return [ref, size];
}
