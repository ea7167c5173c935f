// A FIFO ring buffer with a fixed capacity. When full, the oldest item is dropped and
// counted: a stalled consumer costs data it can detect (drop counter, sequence gaps),
// never unbounded memory.

export class BoundedQueue<T> {
  private readonly items: (T | undefined)[];
  private head = 0;
  private length = 0;
  private droppedCount = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('queue capacity must be a positive integer');
    this.items = new Array<T | undefined>(capacity);
  }

  get size(): number {
    return this.length;
  }

  /** Items discarded because the queue was full, since creation. */
  get dropped(): number {
    return this.droppedCount;
  }

  /** Appends; returns false when an old item had to be dropped to make room. */
  push(item: T): boolean {
    let kept = true;
    if (this.length === this.capacity) {
      this.items[this.head] = undefined;
      this.head = (this.head + 1) % this.capacity;
      this.length -= 1;
      this.droppedCount += 1;
      kept = false;
    }
    this.items[(this.head + this.length) % this.capacity] = item;
    this.length += 1;
    return kept;
  }

  shift(): T | undefined {
    if (this.length === 0) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined;
    this.head = (this.head + 1) % this.capacity;
    this.length -= 1;
    return item;
  }

  clear(): void {
    this.items.fill(undefined);
    this.head = 0;
    this.length = 0;
  }
}
