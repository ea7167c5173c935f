// pino-roll ships no type declarations; this covers the part of its API we use.
declare module 'pino-roll' {
  import type { EventEmitter } from 'node:events';
  import type { DestinationStream } from 'pino';

  interface PinoRollOptions {
    file: string | (() => string);
    size?: number | string;
    frequency?: number | 'daily' | 'hourly';
    extension?: string;
    mkdir?: boolean;
    symlink?: boolean;
    limit?: { count?: number; removeOtherLogFiles?: boolean };
    dateFormat?: string;
  }

  interface RollingStream extends DestinationStream, EventEmitter {
    /** File descriptor; negative until the file is open. */
    readonly fd: number;
    /** True once the stream failed or was closed. */
    readonly destroyed: boolean;
    end(): void;
    destroy(): void;
    flushSync(): void;
  }

  export default function build(options: PinoRollOptions): Promise<RollingStream>;
}
