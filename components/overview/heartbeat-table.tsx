import type { DaemonHeartbeat } from '@/lib/overview/queries';
import { formatAge, formatDateTime } from '@/lib/time/format';

/** A daemon that has not beaten for 5 minutes is shown as silent. */
const SILENT_AFTER_MS = 5 * 60 * 1000;

export function HeartbeatTable({ heartbeats, now }: { heartbeats: DaemonHeartbeat[]; now: Date }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <thead className="text-xs uppercase tracking-wide text-zinc-500">
          <tr>
            <th className="py-1 pr-3 font-medium">Daemon</th>
            <th className="py-1 pr-3 font-medium">Status</th>
            <th className="py-1 pr-3 font-medium">Last heartbeat</th>
            <th className="py-1 font-medium">Age</th>
          </tr>
        </thead>
        <tbody>
          {heartbeats.map((beat) => {
            const silent = !beat.at || now.getTime() - beat.at.getTime() > SILENT_AFTER_MS;
            return (
              <tr key={beat.daemon} className="border-t border-zinc-100 dark:border-zinc-800">
                <td className="py-2 pr-3 font-mono text-xs">{beat.daemon}</td>
                <td className="py-2 pr-3">{beat.status}</td>
                <td className="py-2 pr-3 tabular-nums" title={beat.raw}>
                  {formatDateTime(beat.at)}
                </td>
                <td className="py-2">
                  <span
                    className={`rounded px-1.5 py-0.5 text-xs ${
                      silent
                        ? 'bg-red-100 text-red-700 dark:bg-red-950 dark:text-red-300'
                        : 'bg-emerald-100 text-emerald-700 dark:bg-emerald-950 dark:text-emerald-300'
                    }`}
                  >
                    {beat.at ? `${formatAge(beat.at, now)} ago` : 'unreadable time'}
                    {silent ? ' · silent' : ''}
                  </span>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
