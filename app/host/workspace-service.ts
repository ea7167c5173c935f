// WorkspaceService: the host's copy of the trader's workspaces (layouts and their alerts),
// shared by every client: a change saved by one page reaches the others as an event. Saving
// checks the whole state first; a write that fails (a full disk) is a notice, never a lost
// change: the state is in effect and the next successful write saves it.

import { EventEmitter } from 'node:events';
import { describeError } from '../core/errors.js';
import { HostError } from './host-error.js';
import type { HostNotice } from './frames.js';
import { checkWorkspaces, WorkspaceStore } from './workspace-store.js';
import { DEFAULT_WORKSPACES, type WorkspacesState } from './workspace-types.js';

export interface WorkspaceEvents {
  workspaces: [state: WorkspacesState];
}

export class WorkspaceService extends EventEmitter<WorkspaceEvents> {
  private readonly store: WorkspaceStore;
  private current: WorkspacesState = DEFAULT_WORKSPACES;

  constructor(
    directory: string,
    private readonly notify: (level: HostNotice['level'], message: string) => void,
  ) {
    super();
    this.setMaxListeners(64);
    this.store = new WorkspaceStore(directory);
  }

  async load(): Promise<void> {
    const loaded = await this.store.load();
    this.current = loaded.state;
    for (const problem of loaded.problems) this.notify('warning', problem);
  }

  state(): WorkspacesState {
    return this.current;
  }

  /** Replaces the whole state (checked), tells every client and saves it. */
  async save(value: unknown): Promise<WorkspacesState> {
    const checked = checkWorkspaces(value);
    if (!checked.ok) throw new HostError('invalid', `The workspaces were not saved: ${checked.problems.slice(0, 3).join('; ')}.`, checked.problems);
    this.current = checked.value;
    this.emit('workspaces', this.current);
    try {
      await this.store.save(() => this.current);
    } catch (error) {
      this.notify('error', `${describeError(error)} The layout change is in effect but not saved yet.`);
    }
    return this.current;
  }
}
