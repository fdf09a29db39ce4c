'use client';

import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { useMemo, useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { formatBytes } from '@/lib/format/numbers';
import { checkJsonAction, countExactlyAction, savePurposeAction } from '@/lib/registry/actions';
import type { ComplianceFlag } from '@/lib/registry/compliance';
import type { RowCount } from '@/lib/registry/counts';
import type { RegistryGroup, RegistryTable } from '@/lib/registry/registry';
import { formatAge } from '@/lib/time/format';
import { ActionButton } from './action-button';
import { Badge } from './badge';

const INTEGER = new Intl.NumberFormat('en-US');

const ESTIMATE_SOURCE: Record<string, string> = {
  sqlite_stat1: 'from ANALYZE statistics (sqlite_stat1)',
  max_rowid: 'from the highest rowid (one index lookup)',
  reltuples: 'from PostgreSQL statistics (reltuples)',
};

function RowsCell({ table, counting, now }: { table: RegistryTable; counting: boolean; now: Date }) {
  const rows: RowCount = table.rows;
  const countButton = (label: string) =>
    counting ? (
      <span className="text-xs text-sky-700 dark:text-sky-300" role="status">
        counting…
      </span>
    ) : (
      <ActionButton
        action={() => countExactlyAction({ table: table.name })}
        variant="link"
        title="Runs a full count in the background and keeps the result with its time"
      >
        {label}
      </ActionButton>
    );
  switch (rows.kind) {
    case 'exact':
      return <span className="tabular-nums">{INTEGER.format(rows.value)}</span>;
    case 'counted':
      return (
        <span className="flex flex-col items-end gap-0.5">
          <span className="tabular-nums">{INTEGER.format(rows.value)}</span>
          <span className="text-[11px] text-zinc-500" title={`Counted exactly at ${rows.countedAt}`}>
            counted {formatAge(new Date(rows.countedAt), now)} ago
          </span>
          {countButton('Recount')}
        </span>
      );
    case 'estimate':
      return (
        <span className="flex flex-col items-end gap-0.5">
          <span className="inline-flex items-center gap-1 tabular-nums">
            <Badge
              tone="warning"
              title={
                rows.estimate
                  ? `Estimate ${ESTIMATE_SOURCE[rows.estimate.source]}`
                  : 'Not counted: too many rows to count while the page renders'
              }
            >
              estimate
            </Badge>
            {rows.value === null
              ? `> ${INTEGER.format(rows.atLeast - 1)}`
              : `≈ ${INTEGER.format(rows.value)}`}
          </span>
          {countButton('Count exactly')}
        </span>
      );
    case 'unknown':
      return (
        <span className="flex flex-col items-end gap-0.5" title={rows.reason}>
          <span className="text-zinc-400">—</span>
          {countButton('Count')}
        </span>
      );
  }
}

const FLAG_LABEL: Record<ComplianceFlag['kind'], string> = {
  unprefixed: 'unprefixed',
  'no-primary-key': 'no primary key',
  'missing-time-index': 'no time index',
  'missing-actor-time-index': 'no (actor, time) index',
  'missing-type-time-index': 'no (type, time) index',
  'invalid-json': 'invalid JSON',
};

function FlagsCell({ table }: { table: RegistryTable }) {
  const [copied, setCopied] = useState<string | null>(null);
  if (table.flags.length === 0) return <Badge tone="success">ok</Badge>;
  const statements = table.flags.flatMap((flag) => ('statement' in flag ? [flag] : []));
  return (
    <div className="flex flex-col gap-1">
      <div className="flex flex-wrap gap-1">
        {table.flags.map((flag) => (
          <Badge
            key={flag.kind + ('column' in flag ? flag.column : '')}
            tone={
              flag.kind === 'unprefixed' || flag.kind === 'invalid-json' || flag.kind === 'no-primary-key'
                ? 'danger'
                : 'smallTable' in flag && flag.smallTable
                  ? 'outline'
                  : 'warning'
            }
            title={
              flag.message +
              ('smallTable' in flag && flag.smallTable ? ' (low priority: the table is small today)' : '')
            }
          >
            {FLAG_LABEL[flag.kind]}
          </Badge>
        ))}
      </div>
      {statements.length > 0 && (
        <details className="text-xs">
          <summary className="cursor-pointer text-zinc-500 hover:text-zinc-800 dark:hover:text-zinc-200">
            {statements.length === 1 ? 'Recommendation' : `${statements.length} recommendations`}
          </summary>
          <ul className="mt-1 space-y-1">
            {statements.map((flag) => (
              <li key={flag.statement} className="space-y-1">
                <p className="text-zinc-600 dark:text-zinc-400">{flag.message}</p>
                <div className="flex items-start gap-1">
                  <code className="block flex-1 rounded bg-zinc-100 p-1 font-mono text-[11px] [overflow-wrap:anywhere] dark:bg-zinc-800">
                    {flag.statement}
                  </code>
                  <button
                    type="button"
                    className="rounded border border-zinc-300 px-1 text-[10px] dark:border-zinc-700"
                    onClick={() => {
                      void navigator.clipboard
                        ?.writeText(flag.statement)
                        .then(() => setCopied(flag.statement));
                    }}
                  >
                    {copied === flag.statement ? 'Copied' : 'Copy'}
                  </button>
                </div>
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}

function JsonCheck({ table, now }: { table: RegistryTable; now: Date }) {
  if (table.jsonColumns.length === 0) return null;
  const check = table.jsonCheck;
  return (
    <div className="mt-1 flex flex-wrap items-center gap-1 text-[11px] text-zinc-500">
      <span title={table.jsonColumns.join(', ')}>
        {table.jsonColumns.length} JSON column{table.jsonColumns.length === 1 ? '' : 's'}
        {check ? `, checked ${formatAge(new Date(check.checkedAt), now)} ago` : ''}
      </span>
      <ActionButton
        action={() => checkJsonAction({ table: table.name })}
        variant="link"
        title="Reads up to 100,000 values per JSON column and counts those that are not valid JSON"
      >
        {check ? 'Check again' : 'Check JSON'}
      </ActionButton>
    </div>
  );
}

function PurposeCell({ table, canEdit }: { table: RegistryTable; canEdit: boolean }) {
  const [editing, setEditing] = useState(false);
  const [purpose, setPurpose] = useState(table.purpose ?? '');
  const [owner, setOwner] = useState(table.purposeOwner ?? '');
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  if (!editing) {
    return (
      <div className="flex items-start gap-1">
        <span className={table.purpose ? '' : 'text-zinc-400'}>{table.purpose ?? 'no purpose recorded'}</span>
        {canEdit && (
          <button
            type="button"
            className="shrink-0 text-xs text-sky-700 underline dark:text-sky-400"
            onClick={() => setEditing(true)}
            aria-label={`Edit the purpose of ${table.name}`}
          >
            edit
          </button>
        )}
      </div>
    );
  }
  const ids = {
    purpose: `purpose-${table.name}`,
    owner: `owner-${table.name}`,
    error: `purpose-error-${table.name}`,
  };
  return (
    <form
      className="space-y-1"
      onSubmit={(event) => {
        event.preventDefault();
        start(async () => {
          const result = await savePurposeAction({ table: table.name, purpose, owner });
          if (result.ok) {
            setEditing(false);
            setError(null);
          } else
            setError(result.fieldErrors ? Object.values(result.fieldErrors).flat().join(' ') : result.error);
        });
      }}
    >
      <label htmlFor={ids.purpose} className="sr-only">
        Purpose of {table.name}
      </label>
      <textarea
        id={ids.purpose}
        className="w-full rounded border border-zinc-300 bg-white p-1 text-xs dark:border-zinc-700 dark:bg-zinc-900"
        rows={2}
        maxLength={500}
        value={purpose}
        onChange={(event) => setPurpose(event.target.value)}
        aria-describedby={error ? ids.error : undefined}
        placeholder="What this table is for (empty clears it)"
      />
      <label htmlFor={ids.owner} className="sr-only">
        Owner of {table.name}
      </label>
      <input
        id={ids.owner}
        className="w-full rounded border border-zinc-300 bg-white p-1 text-xs dark:border-zinc-700 dark:bg-zinc-900"
        maxLength={100}
        value={owner}
        onChange={(event) => setOwner(event.target.value)}
        placeholder="Owner (optional, e.g. HoloIndex)"
      />
      {error && (
        <p id={ids.error} role="alert" className="text-xs text-red-600 dark:text-red-400">
          {error}
        </p>
      )}
      <div className="flex gap-1">
        <Button type="submit" className="px-2 py-1 text-xs" disabled={pending}>
          {pending ? 'Saving…' : 'Save'}
        </Button>
        <Button type="button" variant="ghost" className="px-2 py-1 text-xs" onClick={() => setEditing(false)}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

function IndexesCell({ table }: { table: RegistryTable }) {
  if (table.kind !== 'table') return <span className="text-zinc-400">—</span>;
  if (table.indexes.length === 0) return <span className="text-zinc-400">none</span>;
  return (
    <details className="text-xs">
      <summary className="cursor-pointer tabular-nums">{table.indexes.length}</summary>
      <ul className="mt-1 space-y-0.5 font-mono text-[11px]">
        {table.indexes.map((index) => (
          <li key={index.name} className="[overflow-wrap:anywhere]">
            {index.name}
            {index.unique ? ' unique' : ''} ({index.columns.map((column) => column ?? 'expr').join(', ')})
          </li>
        ))}
      </ul>
    </details>
  );
}

export interface RegistryTablesProps {
  groups: RegistryGroup[];
  countingTables: string[];
  canEdit: boolean;
  now: string;
}

/** Every table by namespace, filterable by name and by "flagged" (kept in the URL without a server round trip). */
export function RegistryTables({ groups, countingTables, canEdit, now }: RegistryTablesProps) {
  const params = useSearchParams();
  const [query, setQuery] = useState(params.get('q') ?? '');
  const [flaggedOnly, setFlaggedOnly] = useState(params.get('flagged') === '1');
  const nowDate = useMemo(() => new Date(now), [now]);
  const counting = useMemo(() => new Set(countingTables), [countingTables]);
  const remember = (q: string, flagged: boolean) => {
    const next = new URLSearchParams();
    if (q) next.set('q', q);
    if (flagged) next.set('flagged', '1');
    const search = next.toString();
    window.history.replaceState(null, '', search ? `?${search}` : window.location.pathname);
  };
  const needle = query.trim().toLowerCase();
  const visible = groups
    .map((group) => ({
      ...group,
      tables: group.tables.filter(
        (table) =>
          (!needle ||
            table.name.toLowerCase().includes(needle) ||
            (table.purpose ?? '').toLowerCase().includes(needle)) &&
          (!flaggedOnly || table.flags.length > 0),
      ),
    }))
    .filter((group) => group.tables.length > 0);
  const th = 'px-3 py-2 text-left text-xs font-medium tracking-wide text-zinc-500 uppercase';
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end gap-4">
        <label className="flex flex-col gap-1 text-xs text-zinc-500">
          Find a table
          <input
            type="search"
            className="h-9 w-64 rounded-md border border-zinc-300 bg-white px-2 text-sm dark:border-zinc-700 dark:bg-zinc-900"
            value={query}
            placeholder="name or purpose"
            onChange={(event) => {
              setQuery(event.target.value);
              remember(event.target.value, flaggedOnly);
            }}
          />
        </label>
        <label className="flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            className="size-4 accent-sky-600"
            checked={flaggedOnly}
            onChange={(event) => {
              setFlaggedOnly(event.target.checked);
              remember(query, event.target.checked);
            }}
          />
          Only tables with flags
        </label>
      </div>
      {visible.length === 0 && <p className="py-6 text-center text-sm text-zinc-500">No table matches.</p>}
      {visible.map((group) => (
        <section
          key={group.key}
          aria-labelledby={`group-${group.key}`}
          className="overflow-hidden rounded-xl border border-zinc-200 bg-white shadow-sm dark:border-zinc-800 dark:bg-zinc-900"
        >
          <h2
            id={`group-${group.key}`}
            className="flex items-center justify-between border-b border-zinc-200 px-4 py-2 text-sm font-semibold dark:border-zinc-800"
          >
            <span className="font-mono">{group.title}</span>
            <span className="text-xs font-normal text-zinc-500">
              {group.tables.length} {group.tables.length === 1 ? 'relation' : 'relations'}
            </span>
          </h2>
          <div className="overflow-x-auto">
            <table className="w-full text-sm">
              <thead className="bg-zinc-50 dark:bg-zinc-950/40">
                <tr>
                  <th scope="col" className={th}>
                    Table
                  </th>
                  <th scope="col" className={`${th} text-right`}>
                    Rows
                  </th>
                  <th scope="col" className={`${th} text-right`}>
                    Size (with indexes)
                  </th>
                  <th scope="col" className={`${th} hidden text-right md:table-cell`}>
                    Columns
                  </th>
                  <th scope="col" className={`${th} hidden md:table-cell`}>
                    Indexes
                  </th>
                  <th scope="col" className={th}>
                    Compliance
                  </th>
                  <th scope="col" className={`${th} hidden lg:table-cell`}>
                    Purpose
                  </th>
                </tr>
              </thead>
              <tbody>
                {group.tables.map((table) => (
                  <tr
                    key={table.name}
                    className="border-t border-zinc-100 align-top dark:border-zinc-800"
                    data-table={table.name}
                  >
                    <td className="px-3 py-2">
                      <Link
                        href={`/registry/${encodeURIComponent(table.name)}`}
                        className="font-mono text-sky-700 hover:underline dark:text-sky-400"
                      >
                        {table.name}
                      </Link>
                      {table.kind !== 'table' && (
                        <span className="ml-2">
                          <Badge tone="info">{table.kind}</Badge>
                        </span>
                      )}
                      <JsonCheck table={table} now={nowDate} />
                    </td>
                    <td className="px-3 py-2 text-right">
                      <RowsCell table={table} counting={counting.has(table.name)} now={nowDate} />
                    </td>
                    <td className="px-3 py-2 text-right whitespace-nowrap tabular-nums">
                      {table.size ? (
                        <span title={`${formatBytes(table.size.indexBytes)} of it in indexes`}>
                          {formatBytes(table.size.totalBytes)}
                          {table.size.indexBytes > 0 && (
                            <span className="block text-[11px] text-zinc-500">
                              idx {formatBytes(table.size.indexBytes)}
                            </span>
                          )}
                        </span>
                      ) : (
                        <span className="text-zinc-400">—</span>
                      )}
                    </td>
                    <td className="hidden px-3 py-2 text-right tabular-nums md:table-cell">
                      {table.columnCount}
                    </td>
                    <td className="hidden px-3 py-2 md:table-cell">
                      <IndexesCell table={table} />
                    </td>
                    <td className="max-w-sm px-3 py-2">
                      <FlagsCell table={table} />
                    </td>
                    <td className="hidden max-w-xs px-3 py-2 text-xs lg:table-cell">
                      <PurposeCell table={table} canEdit={canEdit} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ))}
    </div>
  );
}
