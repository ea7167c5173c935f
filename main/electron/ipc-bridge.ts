// The Electron IPC transport of the contract. One HostSession per window; every call is
// checked against the window's sender and frame URL before anything else reads it; frames
// wait for the page's acknowledgement so a slow renderer gets coalesced frames, not a backlog.
// Written against the small part of Electron it uses, so it is tested without Electron.

import { getLogger } from '../../app/core/logger.js';
import type { MarketHost } from '../../app/host/market-host.js';
import { MAX_COMMAND_BYTES, type CommandName, type CommandResult } from '../contract.js';
import { HostSession, type SessionPlatform } from '../host-session.js';
import { IPC } from '../ipc-channels.js';

const log = getLogger('ipc');

/** Frames the page may be behind before new ones are coalesced. */
const MAX_UNACKED_FRAMES = 2;

export interface WebContentsLike {
  readonly id: number;
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
  once(event: 'destroyed', listener: () => void): unknown;
}

export interface IpcEventLike {
  readonly sender: { readonly id: number };
  readonly senderFrame: { readonly url: string } | null;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
  on(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => void): unknown;
}

interface Attached {
  readonly session: HostSession;
  sent: number;
  acked: number;
}

export class IpcBridge {
  private readonly windows = new Map<number, Attached>();
  private readonly onAck = (event: IpcEventLike, seq: unknown): void => {
    if (!this.isTrustedUrl(event.senderFrame?.url ?? '')) return;
    const attached = this.windows.get(event.sender.id);
    if (attached !== undefined && typeof seq === 'number' && Number.isInteger(seq)) attached.acked = Math.max(attached.acked, seq);
  };

  constructor(
    private readonly ipcMain: IpcMainLike,
    private readonly host: MarketHost,
    /** Whether a frame URL is our own UI (file:// of the packaged renderer, or the dev server). */
    private readonly isTrustedUrl: (url: string) => boolean,
    private readonly platform: SessionPlatform = {},
  ) {
    ipcMain.handle(IPC.call, (event, command, input) => this.onCall(event, command, input));
    ipcMain.on(IPC.ack, this.onAck);
  }

  /** Opens a session for a window's contents; it ends when the contents are destroyed. */
  attach(contents: WebContentsLike): void {
    if (this.windows.has(contents.id)) return;
    const attached: Attached = {
      sent: 0,
      acked: 0,
      session: new HostSession(
        this.host,
        {
          emit: (event, payload) => {
            if (contents.isDestroyed()) return;
            if (event === 'frame') attached.sent = (payload as { seq: number }).seq;
            contents.send(IPC.event, event, payload);
          },
          busy: () => attached.sent - attached.acked >= MAX_UNACKED_FRAMES,
        },
        this.platform,
      ),
    };
    this.windows.set(contents.id, attached);
    contents.once('destroyed', () => this.detach(contents.id));
  }

  detach(id: number): void {
    this.windows.get(id)?.session.close();
    this.windows.delete(id);
  }

  dispose(): void {
    this.ipcMain.removeHandler(IPC.call);
    this.ipcMain.removeListener(IPC.ack, this.onAck);
    for (const id of [...this.windows.keys()]) this.detach(id);
  }

  private async onCall(event: IpcEventLike, command: unknown, input: unknown): Promise<CommandResult<CommandName>> {
    const attached = this.windows.get(event.sender.id);
    const url = event.senderFrame?.url ?? '';
    if (attached === undefined || !this.isTrustedUrl(url)) {
      log.warn({ sender: event.sender.id, url: url.slice(0, 100) }, 'IPC call from an unknown sender refused');
      return { ok: false, error: { code: 'bad_request', message: 'sender not allowed', details: [] } };
    }
    let size: number;
    try {
      size = JSON.stringify(input ?? null).length;
    } catch {
      size = Infinity;
    }
    if (size > MAX_COMMAND_BYTES) {
      return { ok: false, error: { code: 'bad_request', message: `commands must be at most ${MAX_COMMAND_BYTES} bytes`, details: [] } };
    }
    return attached.session.call(command, input);
  }
}
