// What a workspace pane fixes for the views inside it: a consolidated-book pane always shows
// the asset's merged book, an aggregated-tape pane the asset's tape, a heatmap pane the
// heatmap. A view reads it to choose its mode and hides the switch it no longer needs.

import { createContext, useContext } from 'react';

export interface PaneFixed {
  readonly book?: 'instrument' | 'asset';
  readonly tape?: 'instrument' | 'asset';
  readonly chart?: 'candles' | 'heatmap';
}

export const PaneContext = createContext<PaneFixed>({});

export function usePaneFixed(): PaneFixed {
  return useContext(PaneContext);
}
