// Electron IPC channel names. Kept apart from the contract's schemas so the sandboxed preload
// bundle stays tiny (it needs the names, not zod).

export const IPC = {
  /** renderer → main, invoke: (command, input) → CommandResult */
  call: 'ticker-deck:call',
  /** main → renderer: (event, payload) */
  event: 'ticker-deck:event',
  /** renderer → main: frame `seq` has been handed to the page (backpressure for frames) */
  ack: 'ticker-deck:ack',
} as const;
