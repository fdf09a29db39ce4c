'use client';

import Link from 'next/link';
import type { StatusCounts } from '@/lib/review/queries';
import { type QueueQuery, STATUS_FILTER_ALL, STATUS_FILTER_UNKNOWN } from '@/lib/review/validations';
import { queueHref } from './review-links';

const INTEGER = new Intl.NumberFormat('en-US');

interface Tab {
  status: string;
  label: string;
  count: number;
  unknown?: boolean;
}

/** Tabs per status with counts (under the other filters); unknown status values get tabs too. */
export function QueueStatusTabs({ counts, query }: { counts: StatusCounts; query: QueueQuery }) {
  const tabs: Tab[] = [];
  // The queue's reason to exist first; then the rest of the workflow in order, then unknown values.
  const ordered = [
    ...counts.statuses.filter((entry) => entry.status === 'pending_review'),
    ...counts.statuses.filter((entry) => entry.status !== 'pending_review'),
  ];
  for (const entry of ordered) {
    if (entry.known) tabs.push({ status: entry.status!, label: entry.label, count: entry.count });
    else if (entry.status !== null)
      tabs.push({ status: entry.status, label: entry.label, count: entry.count, unknown: true });
  }
  // NULL statuses have no value to filter on exactly; the "unknown" bucket holds them (and the rest).
  if (counts.statuses.some((entry) => entry.status === null)) {
    tabs.push({
      status: STATUS_FILTER_UNKNOWN,
      label: 'All unknown statuses',
      count: counts.unknown,
      unknown: true,
    });
  }
  tabs.push({ status: STATUS_FILTER_ALL, label: 'All', count: counts.all });
  const active = query.filters.status;
  if (!tabs.some((tab) => tab.status === active))
    tabs.push({ status: active, label: active, count: 0, unknown: true });

  return (
    <nav aria-label="Statuses" className="-mx-1 overflow-x-auto">
      <ul className="flex min-w-max gap-1 px-1 pb-1">
        {tabs.map((tab) => {
          const current = tab.status === active;
          return (
            <li key={tab.status}>
              <Link
                href={queueHref({ ...query, filters: { ...query.filters, status: tab.status }, page: 1 })}
                replace
                scroll={false}
                aria-current={current ? 'page' : undefined}
                className={`inline-flex items-center gap-2 rounded-md border px-3 py-1.5 text-sm whitespace-nowrap ${
                  current
                    ? 'border-zinc-900 bg-zinc-900 text-white dark:border-zinc-100 dark:bg-zinc-100 dark:text-zinc-900'
                    : 'border-zinc-200 bg-white text-zinc-700 hover:bg-zinc-100 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-300 dark:hover:bg-zinc-800'
                } ${tab.unknown ? 'border-dashed font-mono' : ''}`}
              >
                <span>{tab.label}</span>
                <span
                  data-testid={`count-${tab.status}`}
                  className={`rounded px-1.5 text-xs tabular-nums ${current ? 'bg-white/20' : 'bg-zinc-100 text-zinc-600 dark:bg-zinc-800 dark:text-zinc-400'}`}
                >
                  {INTEGER.format(tab.count)}
                </span>
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
