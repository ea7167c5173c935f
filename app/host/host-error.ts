// HostError: a command the host cannot carry out, with a code the UI can act on and a message
// for the trader. Turned into a CommandError at the transport boundary.

export type HostErrorCode = 'invalid' | 'not_found' | 'duplicate' | 'exchange' | 'limit' | 'unsupported';

export class HostError extends Error {
  constructor(
    readonly code: HostErrorCode,
    message: string,
    readonly details: readonly string[] = [],
  ) {
    super(message);
    this.name = 'HostError';
  }
}
