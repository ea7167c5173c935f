// Preload (sandboxed): exposes exactly one object, `window.tickerDeck`, typed by the contract.
// Nothing else of Electron or Node reaches the page.

import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { CommandInput, CommandName, CommandResult, EventName, EventPayloads, TickerDeckApi } from '../contract.js';
import { IPC } from '../ipc-channels.js';

type Listener = (payload: unknown) => void;
const listeners = new Map<EventName, Set<Listener>>();

ipcRenderer.on(IPC.event, (_event: IpcRendererEvent, name: EventName, payload: unknown) => {
  for (const listener of listeners.get(name) ?? []) listener(payload);
  if (name === 'frame') ipcRenderer.send(IPC.ack, (payload as EventPayloads['frame']).seq);
});

const api: TickerDeckApi = {
  call: <K extends CommandName>(command: K, input: CommandInput<K>) => ipcRenderer.invoke(IPC.call, command, input) as Promise<CommandResult<K>>,
  on: <E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void) => {
    const set = listeners.get(event) ?? new Set<Listener>();
    set.add(listener as Listener);
    listeners.set(event, set);
    return () => {
      set.delete(listener as Listener);
    };
  },
};

contextBridge.exposeInMainWorld('tickerDeck', api);
