// HostSession: one UI client's conversation with the host, whatever carries it (Electron IPC
// or the serve-mode WebSocket). It validates every command against the contract, runs it,
// turns failures into error results (nothing is thrown across the boundary), and forwards the
// client's frame stream and watchlist changes as events.

import { ExchangeError, describeError } from '../app/core/errors.js';
import { formatIssues, traderIssues } from '../app/core/config.js';
import { getLogger } from '../app/core/logger.js';
import { DATA_TYPES } from '../app/core/types.js';
import type { ClientStream } from '../app/host/client-stream.js';
import path from 'node:path';
import { HostError, type HostNotice, type MarketHost, type WatchlistItem } from '../app/host/market-host.js';
import type { ExportProgressEvent, RecordingState, ReplayState } from '../app/host/recording-types.js';
import type { WorkspacesState } from '../app/host/workspace-types.js';
import type { FiredAlert } from '../app/host/alert-engine.js';
import { commandInputs, isCommandName } from './contract-schemas.js';
import { type CommandError, type CommandName, type CommandOutputs, type CommandResult, type EventName, type EventPayloads } from './contract.js';

const log = getLogger('session');

/** What only some front ends can do (the desktop app has native dialogs; a browser has not). */
export interface SessionPlatform {
  /**
   * Desktop: the native save dialog, asked by the main process itself during an export request;
   * null when the trader cancels. The only way a path is ever chosen: the page never sends one.
   */
  chooseSavePath?(defaultName: string): Promise<string | null>;
  /** Where a browser can download a file exported into the host's exports folder. */
  downloadUrl?(fileName: string): string;
}

export interface SessionTransport {
  emit<E extends EventName>(event: E, payload: EventPayloads[E]): void;
  /** True while earlier events are still on their way (frames are then coalesced). */
  busy(): boolean;
}

type Handlers = { [K in CommandName]: (input: ReturnType<(typeof commandInputs)[K]['parse']>) => Promise<CommandOutputs[K]> | CommandOutputs[K] };

export class HostSession {
  private readonly stream: ClientStream;
  private readonly onWatchlist = (items: WatchlistItem[]): void => this.transport.emit('watchlist', items);
  private readonly onRecording = (state: RecordingState): void => this.transport.emit('recording', state);
  private readonly onReplay = (state: ReplayState | null): void => this.transport.emit('replay', state);
  private readonly onExportProgress = (progress: ExportProgressEvent): void => this.transport.emit('exportProgress', progress);
  private readonly onNotices = (notices: HostNotice[]): void => this.transport.emit('notices', notices);
  private readonly onSessions = (): void => this.transport.emit('sessions', null);
  private readonly onWorkspaces = (state: WorkspacesState): void => this.transport.emit('workspaces', state);
  private readonly onAlert = (alert: FiredAlert): void => this.transport.emit('alert', alert);
  private readonly handlers: Handlers;
  private closed = false;

  constructor(
    private readonly host: MarketHost,
    private readonly transport: SessionTransport,
    platform: SessionPlatform = {},
  ) {
    this.stream = host.openClient({ send: (frame) => transport.emit('frame', frame), busy: () => transport.busy() });
    host.on('watchlist', this.onWatchlist);
    host.recordings.on('recording', this.onRecording);
    host.recordings.on('replay', this.onReplay);
    host.recordings.on('exportProgress', this.onExportProgress);
    host.on('notices', this.onNotices);
    host.recordings.on('sessions', this.onSessions);
    host.workspaces.on('workspaces', this.onWorkspaces);
    host.alerts.on('fired', this.onAlert);
    const recordings = host.recordings;
    this.handlers = {
      listExchanges: () => host.listExchanges(),
      getWatchlist: () => host.watchlist(),
      getStatuses: () => host.statuses(),
      searchInstruments: ({ exchange, query, limit }) => host.searchInstruments(exchange, query, limit),
      addSymbol: ({ exchange, symbol, dataTypes, source }) => host.addSymbol(exchange, symbol, dataTypes ?? DATA_TYPES, source ?? 'exchange'),
      removeSymbol: async ({ id }) => {
        await host.removeSymbol(id);
        return { removed: id };
      },
      startCollector: ({ id }) => host.startCollector(id),
      stopCollector: ({ id }) => host.stopCollector(id),
      restartCollector: ({ id }) => host.restartCollector(id),
      getCandles: ({ id, timeframe }) => host.candles(id, timeframe),
      getFlow: ({ id, timeframe, from }) => host.flow(id, timeframe, from),
      setBookGrouping: ({ id, step }) => {
        if (step !== null && !(Number(step) > 0)) throw new HostError('invalid', 'The price step must be greater than zero.');
        this.stream.setBookGrouping(id, step);
        return { id, step };
      },
      resyncSymbol: ({ id }) => {
        this.stream.resync(id);
        return { id };
      },
      setFocus: ({ ids }) => {
        this.stream.setFocus(ids);
        return { ids };
      },
      setStreamOptions: ({ bookDepth }) => {
        this.stream.setBookDepth(bookDepth);
        return { bookDepth };
      },
      getCluster: () => host.clusterInfo(),
      getWorkspaces: () => host.workspaces.state(),
      getAlerts: () => host.alerts.recent(),
      saveWorkspaces: ({ state }) => host.workspaces.save(state),
      getNotices: () => host.notices(),
      dismissNotice: ({ id }) => {
        host.dismissNotice(id);
        return { dismissed: id };
      },
      getRecording: () => recordings.state(),
      startRecording: ({ name, cluster }) => recordings.start(name, cluster),
      stopRecording: ({ id }) => recordings.stop(id),
      setRecordingLimit: async ({ bytes }) => ({ bytes: await recordings.setLimit(bytes) }),
      listSessions: () => recordings.list(),
      renameSession: ({ id, name }) => recordings.rename(id, name),
      deleteSession: async ({ id }) => {
        await recordings.delete(id);
        return { deleted: id };
      },
      getSessionReport: ({ id }) => recordings.report(id),
      startReplay: ({ id, speed }) => recordings.startReplay(id, speed === 'max' ? 'max' : speed === '10' ? 10 : 1),
      getReplay: () => recordings.replay(),
      stopReplay: async () => {
        const was = recordings.replay() !== null;
        await recordings.stopReplay();
        return { stopped: was };
      },
      exportSession: async ({ id, table, format, feeds, from, to }) => {
        let target: string | undefined;
        if (platform.chooseSavePath !== undefined) {
          // Desktop: the main process asks where to save, in this request; the answer is the only path written.
          const meta = (await recordings.list()).find((m) => m.id === id);
          const base = (meta?.name ?? id).replace(/[^\w.-]+/g, '_').slice(0, 80);
          const chosen = await platform.chooseSavePath(`${base}-${table}.${format === 'jsonl' ? 'jsonl' : format}`);
          if (chosen === null) return { cancelled: true } as const;
          target = chosen;
        }
        const result = await recordings.export(id, {
          table,
          format,
          ...(feeds === undefined ? {} : { feeds }),
          ...(from === undefined ? {} : { from }),
          ...(to === undefined ? {} : { to }),
          ...(target === undefined ? {} : { path: target }),
        });
        const inExports = target === undefined;
        return {
          ...result,
          cancelled: false as const,
          downloadUrl: inExports && platform.downloadUrl !== undefined ? platform.downloadUrl(path.basename(result.path)) : null,
        };
      },
    };
  }

  /** Runs one command from the client; never throws. */
  async call(command: unknown, input: unknown): Promise<CommandResult<CommandName>> {
    if (this.closed) return failure('internal', 'session closed');
    if (!isCommandName(command)) return failure('bad_request', `unknown command ${JSON.stringify(command)?.slice(0, 64) ?? ''}`);
    const parsed = commandInputs[command].safeParse(input);
    if (!parsed.success) {
      const problems = traderIssues(parsed.error);
      return failure('bad_request', problems.join('; '), formatIssues(parsed.error));
    }
    try {
      const handler = this.handlers[command] as (input: unknown) => unknown;
      const value = (await handler(parsed.data)) as CommandOutputs[CommandName];
      return { ok: true, value };
    } catch (error) {
      if (error instanceof HostError) return failure(error.code, error.message, error.details);
      if (error instanceof ExchangeError) return failure('exchange', error.message);
      log.error({ command, err: describeError(error) }, 'command failed unexpectedly');
      return failure('internal', `internal error while running ${command}`);
    }
  }

  get framesSent(): number {
    return this.stream.framesSent;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.host.off('watchlist', this.onWatchlist);
    this.host.recordings.off('recording', this.onRecording);
    this.host.recordings.off('replay', this.onReplay);
    this.host.recordings.off('exportProgress', this.onExportProgress);
    this.host.off('notices', this.onNotices);
    this.host.recordings.off('sessions', this.onSessions);
    this.host.workspaces.off('workspaces', this.onWorkspaces);
    this.host.alerts.off('fired', this.onAlert);
    this.host.closeClient(this.stream);
  }
}

function failure(code: CommandError['code'], message: string, details: readonly string[] = []): CommandResult<CommandName> {
  return { ok: false, error: { code, message, details } };
}
