import { EmptyState } from '@/components/ui/panel';
import { formatBytes } from '@/lib/format/numbers';
import type { BackupListItem } from '@/lib/operations/backup';

const STATUS_TONE: Record<BackupListItem['status'], string> = {
  verified: 'bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300',
  running: 'bg-sky-100 text-sky-800 dark:bg-sky-950 dark:text-sky-300',
  failed: 'bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-300',
  unrecorded: 'bg-zinc-100 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300',
};

const when = (iso: string | null) => (iso ? `${iso.slice(0, 19).replace('T', ' ')} UTC` : '—');

/** The backups folder's files with their records: size, verification, checksum, who took them, download. */
export function BackupsTable({ backups }: { backups: BackupListItem[] }) {
  if (backups.length === 0)
    return <EmptyState>No backups yet. “Back up now” takes the first one.</EmptyState>;
  return (
    <div className="overflow-x-auto">
      <table className="w-full min-w-[40rem] text-left text-sm" aria-label="Backups, newest first">
        <thead className="text-xs uppercase tracking-wide text-zinc-500">
          <tr>
            <th className="py-2 pr-4 font-medium">Backup</th>
            <th className="py-2 pr-4 font-medium">Taken</th>
            <th className="py-2 pr-4 text-right font-medium">Size</th>
            <th className="py-2 pr-4 font-medium">Verification</th>
            <th className="py-2 pr-4 font-medium">SHA-256</th>
            <th className="py-2 pr-4 font-medium">By</th>
            <th className="py-2 font-medium">
              <span className="sr-only">Download</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {backups.map((item) => (
            <tr key={item.fileName} className="align-top">
              <td className="py-2 pr-4 font-mono text-xs [overflow-wrap:anywhere]">{item.fileName}</td>
              <td className="py-2 pr-4 whitespace-nowrap tabular-nums">
                {when(item.startedAt ?? item.modifiedAt)}
                {item.durationMs !== null && (
                  <span className="block text-xs text-zinc-500">{(item.durationMs / 1000).toFixed(1)} s</span>
                )}
              </td>
              <td className="py-2 pr-4 text-right whitespace-nowrap tabular-nums">
                {formatBytes(item.sizeBytes)}
              </td>
              <td className="py-2 pr-4">
                <span className={`rounded px-1.5 py-0.5 text-xs font-medium ${STATUS_TONE[item.status]}`}>
                  {item.status}
                </span>
                {item.status === 'verified' && (
                  <span className="block text-xs text-zinc-500">integrity_check {item.integrity}</span>
                )}
                {item.error && (
                  <span className="block text-xs text-red-700 [overflow-wrap:anywhere] dark:text-red-400">
                    {item.error}
                  </span>
                )}
              </td>
              <td className="py-2 pr-4 font-mono text-xs" title={item.sha256 ?? undefined}>
                {item.sha256 ? `${item.sha256.slice(0, 12)}…` : '—'}
              </td>
              <td className="py-2 pr-4">{item.startedBy ?? '—'}</td>
              <td className="py-2 whitespace-nowrap">
                {item.present ? (
                  <a
                    href={`/backups/download/${encodeURIComponent(item.fileName)}`}
                    className="text-sky-700 underline dark:text-sky-400"
                    download
                  >
                    Download<span className="sr-only"> {item.fileName}</span>
                  </a>
                ) : (
                  <span className="text-xs text-zinc-500">no file</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
