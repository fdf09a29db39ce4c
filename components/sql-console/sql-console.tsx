'use client';

import { useRouter } from 'next/navigation';
import { useRef, useState, useTransition } from 'react';
import { Badge } from '@/components/registry/badge';
import { Button } from '@/components/ui/button';
import {
  type RunQueryResult,
  deleteQueryAction,
  runQueryAction,
  saveQueryAction,
} from '@/lib/sql-console/actions';
import type { ExampleQuery } from '@/lib/sql-console/examples';
import type { SavedQuery } from '@/lib/sql-console/saved-queries';
import { ResultChart } from './result-chart';
import { ResultTable } from './result-table';

const INTEGER = new Intl.NumberFormat('en-US');

const REFUSAL_TITLES: Record<string, string> = {
  NOT_READ_ONLY: 'Refused: not a read',
  MULTIPLE_STATEMENTS: 'Refused: more than one statement',
  FORBIDDEN_FUNCTION: 'Refused: side-effecting function',
  TIMEOUT: 'Stopped: time limit',
  EMPTY: 'Nothing to run',
  UNTERMINATED: 'Refused: unterminated text',
  TOO_LONG: 'Refused: too long',
  NOT_A_READ: 'Refused: returns no rows',
  SQL_ERROR: 'Error',
};

export interface SqlConsoleProps {
  initialSql: string;
  examples: readonly ExampleQuery[];
  saved: SavedQuery[];
  rowCap: number;
  timeLimitSeconds: number;
  engine: string;
}

export function SqlConsole({
  initialSql,
  examples,
  saved,
  rowCap,
  timeLimitSeconds,
  engine,
}: SqlConsoleProps) {
  const router = useRouter();
  const [text, setText] = useState(initialSql);
  const [outcome, setOutcome] = useState<RunQueryResult | null>(null);
  const [showChart, setShowChart] = useState(false);
  const [running, startRun] = useTransition();
  const [saving, startSave] = useTransition();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [saveMessage, setSaveMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const editor = useRef<HTMLTextAreaElement>(null);

  const run = () => {
    startRun(async () => {
      try {
        setOutcome(await runQueryAction({ sql: text }));
      } catch {
        setOutcome({ ok: false, error: 'The server did not answer; try again.' });
      }
    });
  };

  const load = (sql: string, label: string) => {
    setText(sql);
    setName(label);
    setOutcome(null);
    editor.current?.focus();
  };

  return (
    <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_16rem]">
      <div className="min-w-0 space-y-4">
        <form
          className="space-y-2"
          onSubmit={(event) => {
            event.preventDefault();
            run();
          }}
        >
          <label htmlFor="sql-text" className="block text-sm font-medium">
            Statement <span className="font-normal text-zinc-500">({engine}, read-only)</span>
          </label>
          <textarea
            id="sql-text"
            ref={editor}
            value={text}
            onChange={(event) => setText(event.target.value)}
            onKeyDown={(event) => {
              if ((event.ctrlKey || event.metaKey) && event.key === 'Enter') {
                event.preventDefault();
                run();
              }
            }}
            spellCheck={false}
            rows={10}
            aria-describedby="sql-rules"
            className="block w-full rounded-md border border-zinc-300 bg-white p-3 font-mono text-sm shadow-sm outline-none focus:border-sky-500 focus:ring-2 focus:ring-sky-500/30 dark:border-zinc-700 dark:bg-zinc-950"
          />
          <div className="flex flex-wrap items-center gap-3">
            <Button type="submit" disabled={running}>
              {running ? 'Running…' : 'Run'}
            </Button>
            <span className="text-xs text-zinc-500">Ctrl+Enter</span>
            <p id="sql-rules" className="text-xs text-zinc-500">
              One SELECT, WITH, EXPLAIN or VALUES statement on a read-only connection · at most{' '}
              {INTEGER.format(rowCap)} rows · stopped after {timeLimitSeconds} s.
            </p>
          </div>
        </form>

        <div aria-live="polite" aria-busy={running}>
          {outcome && !outcome.ok && (
            <div
              role="alert"
              data-testid="sql-error"
              className="space-y-1 rounded-xl border border-red-200 bg-red-50 p-4 dark:border-red-900 dark:bg-red-950/40"
            >
              <p className="text-sm font-semibold text-red-800 dark:text-red-200">
                {REFUSAL_TITLES[outcome.code ?? ''] ?? 'Not run'}
              </p>
              <p className="text-sm text-red-700 [overflow-wrap:anywhere] dark:text-red-300">
                {outcome.error}
              </p>
              {outcome.fieldErrors?.sql && (
                <p className="text-sm text-red-700 dark:text-red-300">{outcome.fieldErrors.sql.join(' ')}</p>
              )}
            </div>
          )}
          {outcome?.ok && (
            <div className="space-y-3" data-testid="sql-outcome">
              <div className="flex flex-wrap items-center gap-3 text-sm">
                <span className="font-medium">
                  {INTEGER.format(outcome.result.rows.length)} row
                  {outcome.result.rows.length === 1 ? '' : 's'}
                </span>
                <span className="text-zinc-500">in {outcome.result.ms} ms</span>
                {outcome.result.truncated && (
                  <Badge tone="warning">
                    row cap reached: only the first {INTEGER.format(outcome.result.rowCap)} rows are shown
                  </Badge>
                )}
                {outcome.result.chart && (
                  <label className="flex items-center gap-2 text-sm">
                    <input
                      type="checkbox"
                      className="size-4 accent-sky-600"
                      checked={showChart}
                      onChange={(event) => setShowChart(event.target.checked)}
                    />
                    Chart
                  </label>
                )}
                <form method="post" action="/api/export/query" className="ml-auto flex items-center gap-2">
                  <input type="hidden" name="sql" value={text} />
                  <span className="text-xs text-zinc-500">Export (up to 100,000 rows):</span>
                  <button
                    type="submit"
                    name="format"
                    value="csv"
                    className="rounded-md border border-zinc-300 px-2 py-1 text-xs font-medium hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800"
                  >
                    CSV
                  </button>
                  <button
                    type="submit"
                    name="format"
                    value="json"
                    className="rounded-md border border-zinc-300 px-2 py-1 text-xs font-medium hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800"
                  >
                    JSON
                  </button>
                </form>
              </div>
              {outcome.result.warning && (
                <p className="text-xs text-amber-700 dark:text-amber-400">{outcome.result.warning}</p>
              )}
              {showChart && outcome.result.chart && (
                <ResultChart
                  columns={outcome.result.columns}
                  rows={outcome.result.rows}
                  shape={outcome.result.chart}
                />
              )}
              {outcome.result.rows.length === 0 ? (
                <p className="rounded-xl border border-dashed border-zinc-300 py-6 text-center text-sm text-zinc-500 dark:border-zinc-700">
                  The statement returned no rows.
                </p>
              ) : (
                <ResultTable
                  columns={outcome.result.columns}
                  rows={outcome.result.rows}
                  numericColumns={outcome.result.chart?.numericColumns}
                />
              )}
            </div>
          )}
        </div>
      </div>

      <aside className="space-y-6">
        <section aria-labelledby="examples-heading" className="space-y-2">
          <h2 id="examples-heading" className="text-sm font-semibold">
            Examples
          </h2>
          <ul className="space-y-1">
            {examples.map((example) => (
              <li key={example.name}>
                <button
                  type="button"
                  className="w-full rounded-md px-2 py-1.5 text-left text-sm hover:bg-zinc-200/70 dark:hover:bg-zinc-800"
                  onClick={() => load(example.sql, example.name)}
                  title={example.description}
                >
                  {example.name}
                </button>
              </li>
            ))}
          </ul>
        </section>
        <section aria-labelledby="saved-heading" className="space-y-2">
          <h2 id="saved-heading" className="text-sm font-semibold">
            Saved queries
          </h2>
          {saved.length === 0 ? (
            <p className="text-xs text-zinc-500">None yet: save the statement below.</p>
          ) : (
            <ul className="space-y-1">
              {saved.map((query) => (
                <li key={query.id} className="flex items-center gap-1">
                  <button
                    type="button"
                    className="min-w-0 flex-1 truncate rounded-md px-2 py-1.5 text-left text-sm hover:bg-zinc-200/70 dark:hover:bg-zinc-800"
                    onClick={() => load(query.sql, query.name)}
                    title={query.description ?? query.sql}
                  >
                    {query.name}
                  </button>
                  <button
                    type="button"
                    className="rounded px-1 text-xs text-red-700 hover:bg-red-50 dark:text-red-400 dark:hover:bg-red-950"
                    aria-label={`Delete the saved query ${query.name}`}
                    onClick={() => {
                      if (!window.confirm(`Delete the saved query "${query.name}"?`)) return;
                      startSave(async () => {
                        const result = await deleteQueryAction({ id: query.id });
                        setSaveMessage({ ok: result.ok, text: result.ok ? result.message : result.error });
                        router.refresh();
                      });
                    }}
                  >
                    ×
                  </button>
                </li>
              ))}
            </ul>
          )}
          <form
            className="space-y-2 border-t border-zinc-200 pt-3 dark:border-zinc-800"
            aria-label="Save the statement"
            onSubmit={(event) => {
              event.preventDefault();
              startSave(async () => {
                const result = await saveQueryAction({ name, sql: text, description });
                setSaveMessage({ ok: result.ok, text: result.ok ? result.message : result.error });
                if (result.ok) router.refresh();
              });
            }}
          >
            <label className="block text-xs text-zinc-500" htmlFor="saved-name">
              Name
            </label>
            <input
              id="saved-name"
              required
              maxLength={100}
              value={name}
              onChange={(event) => setName(event.target.value)}
              className="h-8 w-full rounded-md border border-zinc-300 bg-white px-2 text-sm dark:border-zinc-700 dark:bg-zinc-900"
            />
            <label className="block text-xs text-zinc-500" htmlFor="saved-description">
              Description (optional)
            </label>
            <input
              id="saved-description"
              maxLength={500}
              value={description}
              onChange={(event) => setDescription(event.target.value)}
              className="h-8 w-full rounded-md border border-zinc-300 bg-white px-2 text-sm dark:border-zinc-700 dark:bg-zinc-900"
            />
            <Button type="submit" variant="secondary" className="w-full" disabled={saving}>
              {saving ? 'Saving…' : 'Save the statement'}
            </Button>
            <p
              aria-live="polite"
              className={`text-xs ${saveMessage?.ok === false ? 'text-red-600 dark:text-red-400' : 'text-zinc-500'}`}
            >
              {saveMessage?.text}
            </p>
          </form>
        </section>
      </aside>
    </div>
  );
}
