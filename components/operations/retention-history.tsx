import { EmptyState } from '@/components/ui/panel';
import { formatBytes, formatCount } from '@/lib/format/numbers';
import type { RetentionRunRow } from '@/lib/operations/retention';

/** Every dry run and execution: who, when, which source, how many rows, the archive and its checksum. */
export function RetentionHistory({ runs }: { runs: RetentionRunRow[] }) {
  if (runs.length === 0) return <EmptyState>No retention run yet. Start with a dry run.</EmptyState>;
  return (
    <div className="overflow-x-auto">
      <table className="w-full min-w-[40rem] text-left text-sm" aria-label="Retention history, newest first">
        <thead className="text-xs uppercase tracking-wide text-zinc-500">
          <tr>
            <th className="py-2 pr-4 font-medium">When</th>
            <th className="py-2 pr-4 font-medium">Who</th>
            <th className="py-2 pr-4 font-medium">Source</th>
            <th className="py-2 pr-4 font-medium">Run</th>
            <th className="py-2 pr-4 text-right font-medium">Rows</th>
            <th className="py-2 font-medium">Archive</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 align-top dark:divide-zinc-800">
          {runs.map((run) => (
            <tr key={run.id}>
              <td className="py-1.5 pr-4 whitespace-nowrap text-xs tabular-nums">
                {run.startedAt.slice(0, 19).replace('T', ' ')} UTC
              </td>
              <td className="py-1.5 pr-4">{run.startedBy}</td>
              <td className="py-1.5 pr-4">
                {run.source}
                <span className="block text-xs text-zinc-500">before {run.cutoff.slice(0, 16)}</span>
              </td>
              <td className="py-1.5 pr-4">
                {run.mode === 'dry-run' ? 'dry run' : 'executed'}
                {run.status !== 'done' && (
                  <span
                    className={`block text-xs ${run.status === 'failed' ? 'text-red-700 dark:text-red-400' : 'text-sky-700'}`}
                  >
                    {run.status}
                    {run.error ? `: ${run.error}` : ''}
                  </span>
                )}
              </td>
              <td className="py-1.5 pr-4 text-right tabular-nums">
                {run.mode === 'dry-run'
                  ? formatCount(run.rowsMatched ?? 0)
                  : `${formatCount(run.rowsDeleted)} deleted`}
              </td>
              <td className="py-1.5 font-mono text-xs [overflow-wrap:anywhere]">
                {run.mode === 'execute' && run.archivePath ? (
                  <>
                    {run.archivePath}
                    <span className="block text-zinc-500">
                      {formatBytes(run.archiveBytes)} · sha256{' '}
                      {run.archiveSha256 ? `${run.archiveSha256.slice(0, 12)}…` : '—'}
                    </span>
                  </>
                ) : (
                  '—'
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
