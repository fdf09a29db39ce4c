'use client';

import { usePathname } from 'next/navigation';
import { useEffect, useState, useTransition } from 'react';
import { switchDatabase } from '@/lib/databases/actions';

// Keep in step with db/multi-database.ts (that module is server-only: it reads next/headers).
const DATABASE_COOKIE = 'fu_db';
const DATABASE_HEADER = 'x-foundups-database';

/** The database the page in this tab was rendered for; every write from the tab names it. */
let renderedFor: string | null = null;

function readCookie(name: string): string | undefined {
  for (const part of document.cookie.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

/**
 * Server actions and the console's API calls go through window.fetch; every same-origin write gets the
 * header naming the database this tab shows, and the server refuses it when the browser's database is
 * another (a switch in another tab). Installed once per page load.
 */
function installWriteHeader() {
  const w = window as typeof window & { __foundupsDbFetch?: boolean };
  if (w.__foundupsDbFetch) return;
  w.__foundupsDbFetch = true;
  const original = window.fetch.bind(window);
  window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : undefined;
    const method = (init?.method ?? request?.method ?? 'GET').toUpperCase();
    const url = new URL(request ? request.url : String(input), window.location.href);
    if (!renderedFor || method === 'GET' || method === 'HEAD' || url.origin !== window.location.origin) {
      return original(input, init);
    }
    const headers = new Headers(init?.headers ?? request?.headers);
    headers.set(DATABASE_HEADER, renderedFor);
    return original(input, { ...init, headers });
  };
}

/**
 * Names this tab's database on every write, and says so at once when another tab has switched the
 * browser to a different database (the writes from here would be refused).
 */
export function DatabaseWriteGuard({ database, defaultName }: { database: string; defaultName: string }) {
  const pathname = usePathname();
  const [browserDatabase, setBrowserDatabase] = useState(database);
  const [pending, startTransition] = useTransition();

  useEffect(() => {
    renderedFor = database;
    installWriteHeader();
  }, [database]);

  useEffect(() => {
    const check = () => setBrowserDatabase(readCookie(DATABASE_COOKIE) ?? defaultName);
    check();
    const timer = window.setInterval(check, 2000);
    window.addEventListener('focus', check);
    document.addEventListener('visibilitychange', check);
    return () => {
      window.clearInterval(timer);
      window.removeEventListener('focus', check);
      document.removeEventListener('visibilitychange', check);
    };
  }, [defaultName, pathname]);

  if (browserDatabase === database) return null;
  return (
    <div
      role="alert"
      className="sticky top-0 z-50 flex flex-wrap items-center justify-center gap-3 border-b-4 border-red-700 bg-red-50 px-4 py-3 text-sm text-red-900 dark:bg-red-950 dark:text-red-100"
    >
      <p>
        This tab shows the <strong className="font-mono">{database}</strong> database, but this browser has
        switched to <strong className="font-mono">{browserDatabase}</strong> in another tab. Changes made here
        are refused.
      </p>
      <button
        type="button"
        onClick={() => window.location.reload()}
        className="h-8 rounded-md bg-red-700 px-3 font-medium text-white hover:bg-red-800"
      >
        Reload on {browserDatabase}
      </button>
      <button
        type="button"
        disabled={pending}
        onClick={() =>
          startTransition(async () => {
            const result = await switchDatabase(database);
            if (result.ok) window.location.reload();
          })
        }
        className="h-8 rounded-md border border-red-700 px-3 font-medium hover:bg-red-100 disabled:opacity-60 dark:hover:bg-red-900"
      >
        Switch back to {database}
      </button>
    </div>
  );
}
