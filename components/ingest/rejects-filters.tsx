'use client';

import Link from 'next/link';
import { useUrlReplace } from '@/components/data-table/use-url-replace';
import { count } from './format';
import {
  REJECT_REASONS,
  type RejectsQuery,
  rejectsDownloadHref,
  rejectsHref,
  rejectsParams,
} from './search-params';

const SELECT_BASE =
  'h-9 w-full rounded-md border border-zinc-300 bg-white px-2 text-sm dark:border-zinc-700 dark:bg-zinc-900';
const SELECT = `${SELECT_BASE} sm:w-auto sm:max-w-80`;

/** Run and file pickers, reason chips with their counts, and the downloads of what is filtered. */
export function RejectsFilters({
  query,
  runs,
  files,
  reasons,
  total,
}: {
  query: RejectsQuery;
  runs: { id: number; label: string }[];
  files: { id: number; label: string }[];
  reasons: { reasonCode: string; count: number }[];
  total: number;
}) {
  const { replace, pending } = useUrlReplace();
  const set = (patch: Partial<RejectsQuery>) => replace(rejectsParams({ ...query, ...patch, page: 1 }));
  const allReasons = reasons.reduce((sum, reason) => sum + reason.count, 0);
  return (
    <div className="space-y-3" aria-busy={pending || undefined}>
      <form
        aria-label="Filter the rejected lines"
        className="flex flex-col gap-2 sm:flex-row sm:flex-wrap sm:items-end"
        onSubmit={(event) => event.preventDefault()}
      >
        <label className="flex flex-col gap-1 text-xs font-medium text-zinc-600 dark:text-zinc-400">
          Run
          <select
            className={SELECT}
            value={query.runId ?? ''}
            onChange={(event) => set({ runId: event.target.value ? Number(event.target.value) : undefined })}
          >
            <option value="">Every run</option>
            {runs.map((run) => (
              <option key={run.id} value={run.id}>
                {run.label}
              </option>
            ))}
          </select>
        </label>
        {/* File paths are long: this one takes the row's remaining width instead of being cut at 20rem. */}
        <label className="flex min-w-0 flex-col gap-1 text-xs font-medium text-zinc-600 sm:min-w-64 sm:flex-1 dark:text-zinc-400">
          File
          <select
            className={SELECT_BASE}
            title={files.find((file) => file.id === query.fileId)?.label}
            value={query.fileId ?? ''}
            onChange={(event) => set({ fileId: event.target.value ? Number(event.target.value) : undefined })}
          >
            <option value="">Every file</option>
            {files.map((file) => (
              <option key={file.id} value={file.id}>
                {file.label}
              </option>
            ))}
          </select>
        </label>
        {(query.runId !== undefined || query.fileId !== undefined || query.reasonCode !== undefined) && (
          <Link href={rejectsHref({})} className="pb-2 text-sm text-sky-700 underline dark:text-sky-400">
            Clear filters
          </Link>
        )}
      </form>
      <ul aria-label="Reasons" className="flex flex-wrap gap-1.5">
        <li>
          <ReasonChip
            active={query.reasonCode === undefined}
            onClick={() => set({ reasonCode: undefined })}
            label="Every reason"
            n={allReasons}
          />
        </li>
        {reasons.map((reason) => (
          <li key={reason.reasonCode}>
            <ReasonChip
              active={query.reasonCode === reason.reasonCode}
              onClick={() => set({ reasonCode: reason.reasonCode as RejectsQuery['reasonCode'] })}
              label={REJECT_REASONS[reason.reasonCode as keyof typeof REJECT_REASONS] ?? reason.reasonCode}
              n={reason.count}
            />
          </li>
        ))}
      </ul>
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <span className="text-zinc-600 dark:text-zinc-400" data-testid="rejects-total">
          {count(total)} line{total === 1 ? '' : 's'} match.
        </span>
        {total > 0 && (
          <>
            <span className="text-zinc-500">Download them all:</span>
            <a
              href={rejectsDownloadHref(query, 'csv')}
              download
              className="rounded-md border border-zinc-300 px-2 py-1 text-xs font-medium hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800"
            >
              CSV
            </a>
            <a
              href={rejectsDownloadHref(query, 'json')}
              download
              className="rounded-md border border-zinc-300 px-2 py-1 text-xs font-medium hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800"
            >
              JSON
            </a>
          </>
        )}
      </div>
    </div>
  );
}

function ReasonChip({
  active,
  onClick,
  label,
  n,
}: {
  active: boolean;
  onClick: () => void;
  label: string;
  n: number;
}) {
  return (
    <button
      type="button"
      onClick={onClick}
      aria-pressed={active}
      className={`rounded-full border px-2.5 py-1 text-xs font-medium ${
        active
          ? 'border-zinc-900 bg-zinc-900 text-white dark:border-zinc-100 dark:bg-zinc-100 dark:text-zinc-900'
          : 'border-zinc-300 text-zinc-700 hover:bg-zinc-100 dark:border-zinc-700 dark:text-zinc-300 dark:hover:bg-zinc-800'
      }`}
    >
      {label} <span className="tabular-nums opacity-70">{count(n)}</span>
    </button>
  );
}
