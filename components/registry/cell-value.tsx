'use client';

import { useRef } from 'react';
import { formatBytes } from '@/lib/format/numbers';
import { isBlobValue, isTruncatedText } from '@/lib/registry/values';

/** Cells show this many characters; the rest is one click away. */
const PREVIEW_CHARS = 80;

function looksLikeJson(text: string): boolean {
  const t = text.trim();
  return (t.startsWith('{') && t.endsWith('}')) || (t.startsWith('[') && t.endsWith(']'));
}

function prettyJson(text: string): string | null {
  try {
    return JSON.stringify(JSON.parse(text) as unknown, null, 2);
  } catch {
    return null;
  }
}

/** The full value in a modal dialog: JSON pretty-printed (or said to be invalid), text as stored. */
function ExpandDialog({ column, text, fullLength }: { column: string; text: string; fullLength: number }) {
  const ref = useRef<HTMLDialogElement>(null);
  const json = looksLikeJson(text);
  const pretty = json && fullLength === text.length ? prettyJson(text) : null;
  return (
    <>
      <button
        type="button"
        className="ml-1 rounded border border-zinc-300 px-1 text-[10px] font-medium text-zinc-600 hover:bg-zinc-100 dark:border-zinc-700 dark:text-zinc-300 dark:hover:bg-zinc-800"
        onClick={() => ref.current?.showModal()}
        aria-label={`Expand the ${column} value`}
      >
        {json ? 'JSON' : 'more'}
      </button>
      <dialog
        ref={ref}
        aria-label={`${column} value`}
        className="m-auto w-[min(56rem,calc(100vw-2rem))] rounded-xl border border-zinc-200 bg-white p-0 text-zinc-900 shadow-xl backdrop:bg-black/40 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100"
        onClick={(event) => {
          if (event.target === ref.current) ref.current?.close();
        }}
      >
        <div className="flex items-center justify-between border-b border-zinc-200 px-4 py-2 dark:border-zinc-800">
          <h2 className="font-mono text-sm font-semibold">{column}</h2>
          <button
            type="button"
            className="rounded px-2 py-1 text-sm hover:bg-zinc-100 dark:hover:bg-zinc-800"
            onClick={() => ref.current?.close()}
          >
            Close
          </button>
        </div>
        <div className="space-y-2 p-4">
          {json && pretty === null && fullLength === text.length && (
            <p className="text-xs text-amber-700 dark:text-amber-400">Not valid JSON; shown as stored.</p>
          )}
          {fullLength > text.length && (
            <p className="text-xs text-zinc-500">
              The first {text.length.toLocaleString('en-US')} of {fullLength.toLocaleString('en-US')}{' '}
              characters; export the view to get the whole value.
            </p>
          )}
          <pre className="max-h-[70vh] overflow-auto rounded-md bg-zinc-50 p-3 font-mono text-xs whitespace-pre-wrap [overflow-wrap:anywhere] dark:bg-zinc-950">
            {pretty ?? text}
          </pre>
        </div>
      </dialog>
    </>
  );
}

/**
 * A cell as the operator should read it: NULL is a marker (never confused with the text "NULL" or an
 * empty string), BLOBs are their size, long text and JSON are cut with an expand view. Agent-written
 * text is rendered as text, never as HTML.
 */
export function CellValue({ value, column }: { value: unknown; column: string }) {
  if (value === null || value === undefined) {
    return (
      <span className="rounded bg-zinc-100 px-1 font-mono text-[10px] font-semibold tracking-wide text-zinc-400 uppercase dark:bg-zinc-800 dark:text-zinc-500">
        null
      </span>
    );
  }
  if (isBlobValue(value)) {
    return (
      <span className="font-mono text-xs whitespace-nowrap text-purple-700 dark:text-purple-300">
        BLOB · {formatBytes(value.$blob)}
      </span>
    );
  }
  if (typeof value === 'number') return <span className="font-mono tabular-nums">{value}</span>;
  if (typeof value === 'boolean') return <span className="font-mono">{String(value)}</span>;
  const text = isTruncatedText(value) ? value.$text : String(value);
  const fullLength = isTruncatedText(value) ? value.length : text.length;
  if (text === '') return <span className="text-xs text-zinc-400 italic">empty</span>;
  const long = fullLength > PREVIEW_CHARS || text.includes('\n');
  const json = looksLikeJson(text);
  if (!long && !json) return <span className="whitespace-nowrap">{text}</span>;
  return (
    <span className="inline-flex max-w-md min-w-48 items-baseline">
      <span
        className={`truncate ${json ? 'font-mono text-xs' : ''}`}
        title={fullLength > 500 ? undefined : text}
      >
        {text.slice(0, PREVIEW_CHARS).replace(/\s+/g, ' ')}
        {long ? '…' : ''}
      </span>
      <ExpandDialog column={column} text={text} fullLength={fullLength} />
    </span>
  );
}
