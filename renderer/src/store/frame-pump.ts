// Frames arrive up to 60 times a second; React should render at most once per display frame.
// Incoming frames are merged into one pending batch and applied to the store on the next
// animation frame. While the page is hidden the batch keeps merging (bounded) instead of
// queueing.

import type { HostClient } from '../api/client';
import { emptyBatch, mergeFrame, useMarket } from './market';

export function startFramePump(client: HostClient): () => void {
  let pending = emptyBatch();
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    const batch = pending;
    pending = emptyBatch();
    useMarket.getState().apply(batch);
  };
  const off = client.on('frame', (frame) => {
    mergeFrame(pending, frame);
    if (!scheduled) {
      scheduled = true;
      requestAnimationFrame(flush);
    }
  });
  return off;
}
