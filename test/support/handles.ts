// Counting the process's active handles, to prove that stopping something leaves nothing behind.
import { expect } from 'vitest';

export type ResourceCounts = Readonly<Record<string, number>>;

export function countResources(): ResourceCounts {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}

/** True once there are no more timers, sockets or immediates than at `baseline` (to wait on). */
export function noLeakedHandles(baseline: ResourceCounts): boolean {
  const after = countResources();
  return ['Timeout', 'TCPSocketWrap', 'Immediate'].every((kind) => (after[kind] ?? 0) <= (baseline[kind] ?? 0));
}

/** No more timers, sockets or immediates than at `baseline`. */
export function expectNoLeakedHandles(baseline: ResourceCounts): void {
  const after = countResources();
  for (const kind of ['Timeout', 'TCPSocketWrap', 'Immediate']) {
    expect(after[kind] ?? 0, `${kind} handles`).toBeLessThanOrEqual(baseline[kind] ?? 0);
  }
}
