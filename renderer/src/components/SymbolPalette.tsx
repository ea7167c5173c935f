// Ctrl+K (⌘K): symbol search from anywhere. Typing finds the watchlist's symbols first, then
// every venue's instruments; Enter (or a click) shows the one picked, adding it to the
// watchlist when it is not there yet. Arrow keys move, Escape closes.

import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { instrumentLabel, type InstrumentInfo, type WatchlistItem } from '../../../main/contract';
import { useClient } from '../api/context';
import { useInstrumentSearch } from '../api/instrument-search';
import { useSession } from '../store/session';

type Choice = { readonly kind: 'watched'; readonly item: WatchlistItem } | { readonly kind: 'instrument'; readonly instrument: InstrumentInfo };

const MAX_WATCHED = 8;

export function SymbolPalette() {
  const [open, setOpen] = useState(false);
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent): void => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        setOpen(true);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  return open ? <Palette onClose={() => setOpen(false)} /> : null;
}

function matches(item: WatchlistItem, query: string): boolean {
  const q = query.toLowerCase().replace(/[-/ ]/g, '');
  return [item.symbol, item.label, item.venue].some((text) => text.toLowerCase().replace(/[-/ ]/g, '').includes(q));
}

function Palette({ onClose }: { onClose: () => void }) {
  const client = useClient();
  const watchlist = useSession((s) => s.watchlist);
  const exchanges = useSession((s) => s.exchanges);
  const select = useSession((s) => s.select);
  const [query, setQuery] = useState('');
  const [index, setIndex] = useState(0);
  const [error, setError] = useState<string | undefined>();
  const ref = useRef<HTMLDialogElement>(null);
  const venueName = (id: string): string => exchanges.find((x) => x.id === id)?.displayName ?? id;

  useEffect(() => {
    const dialog = ref.current;
    if (dialog !== null && !dialog.open) dialog.showModal();
  }, []);
  const [found] = useInstrumentSearch(client, query);

  const watchedIds = new Set(watchlist.map((w) => w.id));
  const choices: Choice[] = [
    ...watchlist
      .filter((item) => query.trim() === '' || matches(item, query.trim()))
      .slice(0, MAX_WATCHED)
      .map((item) => ({ kind: 'watched' as const, item })),
    ...found.filter((i) => !watchedIds.has(`${i.exchange}:${i.symbol}`)).map((instrument) => ({ kind: 'instrument' as const, instrument })),
  ];
  const current = Math.min(index, Math.max(0, choices.length - 1));

  async function pick(choice: Choice | undefined): Promise<void> {
    if (choice === undefined) return;
    if (choice.kind === 'watched') {
      select(choice.item.id);
      onClose();
      return;
    }
    const result = await client.call('addSymbol', { exchange: choice.instrument.exchange, symbol: choice.instrument.symbol });
    if (!result.ok) {
      setError(result.error.message);
      return;
    }
    select(result.value.id);
    onClose();
  }

  const onKey = (e: KeyboardEvent<HTMLInputElement>): void => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setIndex(Math.min(choices.length - 1, current + 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setIndex(Math.max(0, current - 1));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      void pick(choices[current]);
    }
  };

  return (
    <dialog ref={ref} className="modal palette" aria-label="Symbol search" onClose={onClose} data-testid="symbol-palette">
      <input
        autoFocus
        aria-label="Search symbols"
        placeholder="Symbol, asset or venue — Enter shows it"
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setIndex(0);
          setError(undefined);
        }}
        onKeyDown={onKey}
      />
      <ul role="listbox" aria-label="Symbols">
        {choices.map((choice, i) => {
          const key = choice.kind === 'watched' ? choice.item.id : `${choice.instrument.exchange}:${choice.instrument.symbol}`;
          const label = choice.kind === 'watched' ? choice.item.label : instrumentLabel(choice.instrument, venueName(choice.instrument.exchange));
          return (
            <li key={key} role="option" aria-selected={i === current} className={i === current ? 'active' : undefined} data-choice={key}>
              <button type="button" onClick={() => void pick(choice)} onMouseEnter={() => setIndex(i)}>
                {label} <span className="muted">{choice.kind === 'watched' ? 'in the watchlist' : `add ${choice.instrument.symbol}`}</span>
              </button>
            </li>
          );
        })}
      </ul>
      {choices.length === 0 && <p className="muted">{query.trim().length < 2 ? 'Type two letters or more.' : 'Nothing matches.'}</p>}
      {error !== undefined && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </dialog>
  );
}
