// Instruments matching what the trader types, across every venue: asked of the host once the
// typing pauses (two letters or more), the answer to a query typed over meanwhile dropped.

import { useEffect, useState } from 'react';
import type { InstrumentInfo } from '../../../main/contract';
import type { HostClient } from './client';

export function useInstrumentSearch(client: HostClient, query: string): [InstrumentInfo[], (found: InstrumentInfo[]) => void] {
  const [found, setFound] = useState<InstrumentInfo[]>([]);
  useEffect(() => {
    if (query.trim().length < 2) {
      setFound([]);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      void client.call('searchInstruments', { query, limit: 12 }).then((result) => {
        if (live && result.ok) setFound(result.value.instruments);
      });
    }, 120);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [client, query]);
  return [found, setFound];
}
