'use client';

import { useEffect, useId, useRef, useState } from 'react';

// One keymap per screen: the same array handles the keys and is listed in the `?` overlay, so the
// overlay can never promise a key that does nothing (the e2e spec presses every listed key).

export interface KeyBinding {
  /** KeyboardEvent.key values, e.g. ['j'] or ['Enter', 'o']. */
  keys: readonly string[];
  description: string;
  run: () => void;
}

export type Keymap = readonly KeyBinding[];

const NON_TEXT_INPUTS = new Set([
  'checkbox',
  'radio',
  'button',
  'submit',
  'reset',
  'range',
  'color',
  'file',
  'image',
]);

/** Whether keys typed now are text for a field (then shortcuts stay quiet). */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLInputElement && !NON_TEXT_INPUTS.has(target.type);
}

export function keyLabel(key: string): string {
  if (key === 'Escape') return 'Esc';
  if (key === 'Enter') return 'Enter';
  if (key === ' ') return 'Space';
  return key;
}

export function KeyboardShortcuts({
  keymap,
  label = 'Keyboard shortcuts',
}: {
  keymap: Keymap;
  label?: string;
}) {
  const [open, setOpen] = useState(false);
  const keymapRef = useRef(keymap);
  const closeRef = useRef<HTMLButtonElement>(null);
  const openRef = useRef<HTMLButtonElement>(null);
  const returnFocusRef = useRef<HTMLElement | null>(null);
  const titleId = useId();

  useEffect(() => {
    keymapRef.current = keymap;
  });

  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (event.defaultPrevented || event.isComposing) return;
      const typing = isTypingTarget(event.target);
      if (event.key === 'Escape') {
        if (open) {
          event.preventDefault();
          setOpen(false);
        } else if (typing) {
          // Leaving the field hands the keys back to the shortcuts; the text stays.
          event.preventDefault();
          (event.target as HTMLElement).blur();
        } else {
          keymapRef.current.find((binding) => binding.keys.includes('Escape'))?.run();
        }
        return;
      }
      if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.key === '?') {
        event.preventDefault();
        setOpen((value) => !value);
        return;
      }
      if (open) return;
      // Enter on a focused button or link activates it, not a shortcut.
      const element = event.target instanceof HTMLElement ? event.target : null;
      if (event.key === 'Enter' && element?.closest('button, a, summary')) return;
      const binding = keymapRef.current.find((candidate) => candidate.keys.includes(event.key));
      if (!binding) return;
      event.preventDefault();
      binding.run();
    }
    window.addEventListener('keydown', onKeyDown);
    // Tests (and curious operators) can tell when the keys are live: after hydration.
    const button = openRef.current;
    button?.setAttribute('data-keys-ready', '');
    return () => {
      window.removeEventListener('keydown', onKeyDown);
      button?.removeAttribute('data-keys-ready');
    };
  }, [open]);

  useEffect(() => {
    if (open) {
      returnFocusRef.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      closeRef.current?.focus();
    } else if (returnFocusRef.current) {
      returnFocusRef.current.focus();
      returnFocusRef.current = null;
    }
  }, [open]);

  const hasEscape = keymap.some((binding) => binding.keys.includes('Escape'));
  const rows: { keys: readonly string[]; description: string }[] = [
    ...keymap,
    { keys: ['?'], description: 'Show or hide this list' },
    ...(hasEscape ? [] : [{ keys: ['Escape'], description: 'Close this list, or leave a text field' }]),
  ];

  return (
    <>
      <button
        ref={openRef}
        type="button"
        onClick={() => setOpen(true)}
        className="inline-flex h-8 items-center gap-1.5 rounded-md border border-zinc-300 bg-white px-2 text-xs text-zinc-600 hover:bg-zinc-100 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-300 dark:hover:bg-zinc-800"
        aria-haspopup="dialog"
      >
        <kbd className="font-mono">?</kbd> Shortcuts
      </button>
      {open && (
        <div
          className="fixed inset-0 z-50 flex items-center justify-center bg-black/40 p-4"
          onClick={(event) => {
            if (event.target === event.currentTarget) setOpen(false);
          }}
        >
          <div
            role="dialog"
            aria-modal="true"
            aria-labelledby={titleId}
            className="max-h-[85vh] w-full max-w-md overflow-y-auto rounded-xl border border-zinc-200 bg-white p-5 shadow-xl dark:border-zinc-700 dark:bg-zinc-900"
          >
            <div className="mb-3 flex items-center justify-between">
              <h2 id={titleId} className="text-base font-semibold">
                {label}
              </h2>
              <button
                ref={closeRef}
                type="button"
                onClick={() => setOpen(false)}
                className="rounded px-2 py-1 text-sm text-zinc-600 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800"
              >
                Close
              </button>
            </div>
            <p className="mb-3 text-xs text-zinc-500">
              Keys do nothing while you type in a field; Esc leaves the field.
            </p>
            <table className="w-full text-sm">
              <tbody>
                {rows.map((row) => (
                  <tr
                    key={row.keys.join(' ')}
                    data-shortcut={row.keys.join(' ')}
                    className="border-t border-zinc-100 dark:border-zinc-800"
                  >
                    <td className="py-1.5 pr-4 whitespace-nowrap">
                      {row.keys.map((key, index) => (
                        <span key={key}>
                          {index > 0 && <span className="px-1 text-xs text-zinc-400">or</span>}
                          <kbd className="rounded border border-zinc-300 bg-zinc-50 px-1.5 py-0.5 font-mono text-xs dark:border-zinc-600 dark:bg-zinc-800">
                            {keyLabel(key)}
                          </kbd>
                        </span>
                      ))}
                    </td>
                    <td className="py-1.5">{row.description}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </>
  );
}
