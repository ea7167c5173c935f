import { createContext, useContext } from 'react';
import type { HostClient } from './client';

export const ClientContext = createContext<HostClient | undefined>(undefined);

export function useClient(): HostClient {
  const client = useContext(ClientContext);
  if (client === undefined) throw new Error('useClient outside ClientContext');
  return client;
}
