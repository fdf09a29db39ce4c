import { formatCount } from '@/lib/format/numbers';
import type { ModuleCount } from '@/lib/overview/queries';

/** Plain CSS bars: no chart library needed on the overview. */
export function ModuleBars({ modules }: { modules: ModuleCount[] }) {
  const max = Math.max(1, ...modules.map((row) => row.events));
  return (
    <ul className="space-y-2">
      {modules.map((row) => (
        <li
          key={row.module}
          className="grid grid-cols-[minmax(0,10rem)_1fr_4.5rem] items-center gap-3 text-sm"
        >
          <span className="truncate font-mono text-xs" title={row.module}>
            {row.module}
          </span>
          <span className="h-2 rounded-full bg-zinc-100 dark:bg-zinc-800" aria-hidden>
            <span
              className="block h-2 rounded-full bg-sky-500"
              style={{ width: `${Math.max(2, (row.events / max) * 100)}%` }}
            />
          </span>
          <span className="text-right tabular-nums text-zinc-600 dark:text-zinc-300">
            {formatCount(row.events)}
          </span>
        </li>
      ))}
    </ul>
  );
}
