import { cookies } from 'next/headers';
import { DatabaseBand } from '@/components/shell/database-band';
import { getDatabaseChoice } from '@/components/shell/database-options';
import { DatabaseSwitcher } from '@/components/shell/database-switcher';
import { DatabaseWriteGuard } from '@/components/shell/database-write-guard';
import { SidebarNav } from '@/components/shell/sidebar-nav';
import { SignOutButton } from '@/components/shell/sign-out-button';
import { THEME_COOKIE, parseTheme } from '@/components/shell/theme';
import { ThemeToggle } from '@/components/shell/theme-toggle';
import { requireOperator } from '@/lib/auth/current';

export default async function ConsoleLayout({ children }: { children: React.ReactNode }) {
  const operator = await requireOperator();
  const theme = parseTheme((await cookies()).get(THEME_COOKIE)?.value);
  const database = await getDatabaseChoice();
  return (
    <div className="flex min-h-screen flex-col">
      {database.multiple && (
        <>
          <DatabaseBand database={database.current} />
          <DatabaseWriteGuard database={database.current.name} defaultName={database.defaultName} />
        </>
      )}
      <div className="flex flex-1 flex-col md:flex-row">
        <aside className="border-b border-zinc-200 bg-white px-3 py-3 md:w-56 md:shrink-0 md:border-r md:border-b-0 dark:border-zinc-800 dark:bg-zinc-900">
          <div className="md:sticky md:top-3">
            <div className="mb-3 flex items-center justify-between px-2 md:mb-6">
              <span className="text-sm font-semibold tracking-tight">FoundUps Console</span>
            </div>
            <SidebarNav />
          </div>
        </aside>
        <div className="flex min-w-0 flex-1 flex-col">
          <header className="flex flex-wrap items-center justify-between gap-2 border-b border-zinc-200 bg-white/80 px-4 py-2 backdrop-blur dark:border-zinc-800 dark:bg-zinc-900/80">
            {database.multiple ? (
              <DatabaseSwitcher current={database.current.name} options={database.options} />
            ) : (
              <p className="truncate font-mono text-xs text-zinc-500" title={database.current.description}>
                {database.current.description}
              </p>
            )}
            <div className="flex items-center gap-2">
              <ThemeToggle initial={theme} />
              <span className="text-sm text-zinc-600 dark:text-zinc-300">
                {operator.displayName ?? operator.username}{' '}
                <span className="rounded bg-zinc-100 px-1.5 py-0.5 text-xs text-zinc-500 dark:bg-zinc-800 dark:text-zinc-400">
                  {operator.role}
                </span>
              </span>
              <SignOutButton />
            </div>
          </header>
          <main className="mx-auto w-full max-w-7xl flex-1 px-4 py-6">{children}</main>
        </div>
      </div>
    </div>
  );
}
