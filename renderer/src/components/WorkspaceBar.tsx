// The workspace controls in the top bar: switch layouts, unlock the layout to edit it (add
// panes, move, resize, pin, remove), make, rename and delete workspaces, and export one to a
// JSON file or import one back. Whatever the host refuses is said here.

import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { PANE_KINDS, type PaneKind } from '../../../main/contract';
import {
  activeWorkspace,
  addPane,
  addWorkspace,
  deleteWorkspace,
  editActive,
  exportWorkspace,
  importWorkspace,
  PANE_INFO,
  renameWorkspace,
  switchWorkspace,
} from '../lib/workspace-layout';
import { useWorkspace } from '../store/workspace';

type Dialog = 'new' | 'rename' | 'export' | 'import' | undefined;

export function WorkspaceBar() {
  const state = useWorkspace((s) => s.state);
  const editing = useWorkspace((s) => s.editing);
  const setEditing = useWorkspace((s) => s.setEditing);
  const change = useWorkspace((s) => s.change);
  const problem = useWorkspace((s) => s.problem);
  const clearProblem = useWorkspace((s) => s.clearProblem);
  const propose = useWorkspace((s) => s.propose);
  const [dialog, setDialog] = useState<Dialog>(undefined);
  const active = activeWorkspace(state);
  return (
    <div className="workspace-bar" data-testid="workspace-bar">
      <select aria-label="Workspace" value={active.id} onChange={(e) => change((s) => switchWorkspace(s, e.target.value))}>
        {state.workspaces.map((w) => (
          <option key={w.id} value={w.id}>
            {w.name}
          </option>
        ))}
      </select>
      <button type="button" aria-pressed={editing} className={editing ? 'active' : undefined} onClick={() => setEditing(!editing)}>
        {editing ? 'Done' : 'Edit layout'}
      </button>
      {editing && (
        <>
          <select
            aria-label="Add pane"
            value=""
            onChange={(e) => {
              const kind = e.target.value as PaneKind;
              if (kind !== ('' as PaneKind)) change((s) => editActive(s, (w) => addPane(w, kind, null)));
            }}
          >
            <option value="">+ Pane…</option>
            {PANE_KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {PANE_INFO[kind].title}
              </option>
            ))}
          </select>
          <button type="button" onClick={() => setDialog('new')}>
            New
          </button>
          <button type="button" onClick={() => setDialog('rename')}>
            Rename
          </button>
          <button type="button" onClick={() => change((s) => deleteWorkspace(s, active.id))}>
            Delete
          </button>
          <button type="button" onClick={() => setDialog('export')}>
            Export
          </button>
          <button type="button" onClick={() => setDialog('import')}>
            Import
          </button>
        </>
      )}
      {problem !== undefined && (
        <span className="error workspace-problem" role="alert" data-testid="workspace-problem">
          {problem}
          <button type="button" className="icon" aria-label="Dismiss" onClick={clearProblem}>
            ✕
          </button>
        </span>
      )}
      {dialog === 'new' && (
        <NameDialog
          title="New workspace"
          initial={`${active.name} copy`}
          onClose={() => setDialog(undefined)}
          onSubmit={(name) => change((s) => addWorkspace(s, name, { panes: active.panes, alerts: active.alerts }))}
        />
      )}
      {dialog === 'rename' && (
        <NameDialog
          title="Rename workspace"
          initial={active.name}
          onClose={() => setDialog(undefined)}
          onSubmit={(name) => change((s) => renameWorkspace(s, active.id, name))}
        />
      )}
      {dialog === 'export' && <ExportDialog name={active.name} text={exportWorkspace(active)} onClose={() => setDialog(undefined)} />}
      {dialog === 'import' && <ImportDialog onClose={() => setDialog(undefined)} onImport={(text) => propose((s) => importWorkspace(s, text))} />}
    </div>
  );
}

/** A modal dialog (the platform's own: focus kept inside, Escape closes it). */
function Modal({ title, onClose, children }: { title: string; onClose: () => void; children: ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog !== null && !dialog.open) dialog.showModal();
  }, []);
  return (
    <dialog ref={ref} className="modal" aria-label={title} onClose={onClose}>
      <h2>{title}</h2>
      {children}
    </dialog>
  );
}

function NameDialog({ title, initial, onClose, onSubmit }: { title: string; initial: string; onClose: () => void; onSubmit: (name: string) => boolean }) {
  const [name, setName] = useState(initial);
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    if (onSubmit(name)) onClose();
  };
  return (
    <Modal title={title} onClose={onClose}>
      <form onSubmit={submit}>
        <input aria-label="Workspace name" value={name} maxLength={60} onChange={(e) => setName(e.target.value)} />
        <div className="modal-actions">
          <button type="submit">Save</button>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Modal>
  );
}

function ExportDialog({ name, text, onClose }: { name: string; text: string; onClose: () => void }) {
  const [url] = useState(() => URL.createObjectURL(new Blob([text], { type: 'application/json' })));
  const [copied, setCopied] = useState(false);
  useEffect(() => () => URL.revokeObjectURL(url), [url]);
  const file = `${name.replace(/[^\w.-]+/g, '-') || 'workspace'}.tickerdeck.json`;
  return (
    <Modal title={`Export ${name}`} onClose={onClose}>
      <textarea aria-label="Workspace JSON" readOnly value={text} rows={12} data-testid="workspace-json" />
      <div className="modal-actions">
        <a className="button" href={url} download={file}>
          Save file
        </a>
        <button
          type="button"
          onClick={() =>
            void navigator.clipboard.writeText(text).then(
              () => setCopied(true),
              () => setCopied(false),
            )
          }
        >
          {copied ? 'Copied' : 'Copy'}
        </button>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </Modal>
  );
}

function ImportDialog({ onClose, onImport }: { onClose: () => void; onImport: (text: string) => Promise<boolean> }) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string | undefined>();
  const readFile = (file: File | undefined): void => {
    if (file === undefined) return;
    if (file.size > 64 * 1024) {
      setError('That file is too large for a workspace (64 KB at most).');
      return;
    }
    file.text().then(setText, (e: unknown) => setError(`The file could not be read: ${e instanceof Error ? e.message : String(e)}`));
  };
  return (
    <Modal title="Import workspace" onClose={onClose}>
      <input type="file" accept=".json,application/json" aria-label="Workspace file" onChange={(e) => readFile(e.target.files?.[0])} />
      <textarea
        aria-label="Workspace JSON to import"
        value={text}
        rows={10}
        placeholder="…or paste an exported workspace here"
        onChange={(e) => setText(e.target.value)}
      />
      {error !== undefined && <p className="error">{error}</p>}
      <div className="modal-actions">
        <button
          type="button"
          disabled={text.trim() === ''}
          onClick={() => void onImport(text).then((taken) => (taken ? onClose() : setError(useWorkspace.getState().problem)))}
        >
          Import
        </button>
        <button type="button" onClick={onClose}>
          Cancel
        </button>
      </div>
    </Modal>
  );
}
