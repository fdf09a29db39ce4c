import Link from 'next/link';
import { Badge } from '@/components/registry/badge';
import { formatBytes, formatCount } from '@/lib/format/numbers';
import type { FileStatus, InventoryFile } from '@/lib/satellites/inventory';
import { formatDateTime } from '@/lib/time/format';

const STATUS: Record<FileStatus, { tone: 'success' | 'warning' | 'danger' | 'neutral'; label: string }> = {
  ok: { tone: 'success', label: 'read' },
  timeout: { tone: 'warning', label: 'timed out' },
  error: { tone: 'danger', label: 'unreadable' },
  empty: { tone: 'neutral', label: 'empty file' },
  'not-sqlite': { tone: 'neutral', label: 'not SQLite' },
};

const ACCESS: Record<string, string> = {
  immutable: 'Opened immutable: no locks, no -wal/-shm created.',
  'wal-reader':
    'Opened read-only as a WAL reader through the owner’s -shm (WAL readers never block the writer).',
};

/** Every SQLite file the scan found, with what it holds and the declaration it matches. */
export function FilesTable({ files, rootCount }: { files: InventoryFile[]; rootCount: number }) {
  const th = 'px-3 py-2 text-left text-xs font-medium tracking-wide text-zinc-500 uppercase';
  return (
    <div className="overflow-x-auto rounded-xl border border-zinc-200 bg-white shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
      <table className="w-full text-sm">
        <caption className="sr-only">SQLite files found under FOUNDUPS_ROOT</caption>
        <thead className="bg-zinc-50 dark:bg-zinc-950/40">
          <tr>
            <th scope="col" className={th}>
              File
            </th>
            <th scope="col" className={`${th} text-right`}>
              Size
            </th>
            <th scope="col" className={`${th} hidden md:table-cell`}>
              Modified
            </th>
            <th scope="col" className={th}>
              Tables
            </th>
            <th scope="col" className={th}>
              Declared as
            </th>
          </tr>
        </thead>
        <tbody>
          {files.map((file) => {
            const rows = file.tables.reduce((sum, table) => sum + (table.rows ?? 0), 0);
            const status = STATUS[file.status];
            return (
              <tr
                key={file.fileKey}
                className="border-t border-zinc-100 align-top dark:border-zinc-800"
                data-file={file.relPath}
              >
                <td className="min-w-72 px-3 py-2">
                  {file.status === 'ok' || file.status === 'timeout' ? (
                    <Link
                      href={`/satellites/${file.fileKey}`}
                      className="font-mono text-sky-700 [overflow-wrap:anywhere] hover:underline dark:text-sky-400"
                    >
                      {file.relPath}
                    </Link>
                  ) : (
                    <span className="font-mono [overflow-wrap:anywhere]">{file.relPath}</span>
                  )}
                  <div className="mt-1 flex flex-wrap gap-1">
                    <Badge
                      tone={status.tone}
                      title={file.error ?? (file.access ? ACCESS[file.access] : undefined)}
                    >
                      {status.label}
                    </Badge>
                    {file.journalMode && (
                      <Badge tone="outline">
                        {file.journalMode === 'wal' ? 'WAL mode' : 'rollback journal'}
                      </Badge>
                    )}
                    {file.walPresent && (
                      <Badge
                        tone="warning"
                        title={
                          file.access === 'immutable'
                            ? 'A -wal file exists next to it, left by an owner that did not close the file cleanly (or could not be shared read-only): it was not read, so its newest rows may be missing from the counts.'
                            : 'A -wal file exists next to it: its owner has it open; it was read through the owner’s shared memory.'
                        }
                      >
                        -wal present
                      </Badge>
                    )}
                    {file.isChroma && <Badge tone="info">ChromaDB</Badge>}
                    {rootCount > 1 && <Badge tone="outline">{file.root}</Badge>}
                  </div>
                  {file.error && <p className="mt-1 text-xs text-zinc-500">{file.error}</p>}
                </td>
                <td className="px-3 py-2 text-right whitespace-nowrap tabular-nums">
                  {formatBytes(file.sizeBytes)}
                </td>
                <td className="hidden px-3 py-2 whitespace-nowrap text-zinc-600 md:table-cell dark:text-zinc-400">
                  {formatDateTime(new Date(file.modifiedAt))}
                </td>
                <td className="px-3 py-2 text-xs">
                  {file.tables.length === 0 ? (
                    <span className="text-zinc-400">—</span>
                  ) : (
                    <details>
                      <summary className="cursor-pointer whitespace-nowrap">
                        {file.tables.length} table{file.tables.length === 1 ? '' : 's'}, {formatCount(rows)}{' '}
                        rows
                      </summary>
                      <ul className="mt-1 space-y-0.5 font-mono text-[11px]">
                        {file.tables.map((table) => (
                          <li key={table.name}>
                            {table.name}:{' '}
                            {table.rows === null ? (table.error ?? table.type) : formatCount(table.rows)}
                          </li>
                        ))}
                      </ul>
                    </details>
                  )}
                </td>
                <td className="max-w-xs px-3 py-2 text-xs [overflow-wrap:anywhere]">
                  {file.declared ? (
                    <span>
                      <span className="font-mono">{file.declared.pattern}</span>
                      <span className="block text-zinc-500">owner {file.declared.owner}</span>
                    </span>
                  ) : (
                    <Badge tone="danger">undocumented</Badge>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
