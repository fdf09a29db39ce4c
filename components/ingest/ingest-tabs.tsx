'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';

const TABS = [
  { href: '/ingest', label: 'Audit' },
  { href: '/ingest/runs', label: 'Runs' },
  { href: '/ingest/rejects', label: 'Rejects' },
  { href: '/ingest/upload', label: 'Upload' },
] as const;

/** The Ingest screen's sections. */
export function IngestTabs() {
  const pathname = usePathname();
  return (
    <nav
      aria-label="Ingest sections"
      className="-mx-1 flex gap-1 overflow-x-auto border-b border-zinc-200 px-1 dark:border-zinc-800"
    >
      {TABS.map((tab) => {
        const active = tab.href === '/ingest' ? pathname === '/ingest' : pathname.startsWith(tab.href);
        return (
          <Link
            key={tab.href}
            href={tab.href}
            aria-current={active ? 'page' : undefined}
            className={`-mb-px shrink-0 border-b-2 px-3 py-2 text-sm font-medium whitespace-nowrap ${
              active
                ? 'border-zinc-900 text-zinc-900 dark:border-zinc-100 dark:text-zinc-100'
                : 'border-transparent text-zinc-500 hover:border-zinc-300 hover:text-zinc-800 dark:hover:border-zinc-700 dark:hover:text-zinc-200'
            }`}
          >
            {tab.label}
          </Link>
        );
      })}
    </nav>
  );
}
