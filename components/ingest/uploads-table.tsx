import Link from 'next/link';
import { formatBytes } from '@/lib/format/numbers';
import { FileIngestControl } from './file-ingest-control';
import type { FileStatusView } from './file-status';
import { formatWhen } from './format';
import { rejectsHref } from './search-params';
import { FileStateBadge } from './status-badges';

export interface UploadRow {
  name: string;
  size: number;
  modifiedAt: string;
  status: FileStatusView;
  targetTable: string | null;
  fileId: number | null;
  rejected: number;
}

const TH = 'border-b border-zinc-200 px-2 py-2 font-medium whitespace-nowrap sm:px-3 dark:border-zinc-800';
const TD = 'px-2 py-2 align-top sm:px-3';

/** Files uploaded through this screen, newest first, with their ingest status. */
export function UploadsTable({ uploads, busyReason }: { uploads: UploadRow[]; busyReason: string | null }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-zinc-200 dark:border-zinc-800">
      <table className="w-full border-collapse text-left text-sm">
        <caption className="sr-only">Uploaded files, newest first</caption>
        <thead className="bg-zinc-50 text-xs uppercase tracking-wide text-zinc-500 dark:bg-zinc-950/40">
          <tr>
            <th scope="col" className={TH}>
              File
            </th>
            <th scope="col" className={`${TH} hidden text-right sm:table-cell`}>
              Size
            </th>
            <th scope="col" className={`${TH} hidden md:table-cell`}>
              Uploaded
            </th>
            <th scope="col" className={TH}>
              Status
            </th>
            <th scope="col" className={TH}>
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {uploads.map((upload) => (
            <tr
              key={upload.name}
              className="border-t border-zinc-100 dark:border-zinc-800"
              data-upload={upload.name}
            >
              <td className={`${TD} min-w-40`}>
                <span className="block font-mono text-xs [overflow-wrap:anywhere]">{upload.name}</span>
                {upload.targetTable && (
                  <span className="block text-xs text-zinc-500">→ {upload.targetTable}</span>
                )}
              </td>
              <td className={`${TD} hidden text-right tabular-nums whitespace-nowrap sm:table-cell`}>
                {formatBytes(upload.size)}
              </td>
              <td className={`${TD} hidden whitespace-nowrap md:table-cell`}>
                {formatWhen(upload.modifiedAt)}
              </td>
              <td className={TD}>
                <FileStateBadge
                  state={upload.status.state}
                  label={upload.status.label}
                  title={upload.status.detail}
                />
                {upload.fileId !== null && upload.rejected > 0 && (
                  <Link
                    href={rejectsHref({ fileId: upload.fileId })}
                    className="mt-1 block text-xs text-sky-700 underline dark:text-sky-400"
                  >
                    {upload.rejected} rejected
                  </Link>
                )}
              </td>
              <td className={TD}>
                <FileIngestControl
                  target={{ scope: 'upload', name: upload.name }}
                  name={upload.name}
                  state={upload.status.state}
                  domainChoice={upload.fileId === null ? 'optional' : 'none'}
                  busyReason={busyReason}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
