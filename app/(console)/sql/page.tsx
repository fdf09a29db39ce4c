import type { Metadata } from 'next';
import { SqlConsole } from '@/components/sql-console/sql-console';
import { getDb } from '@/db/client';
import { requireOperator } from '@/lib/auth/current';
import { roleAtLeast } from '@/lib/auth/roles';
import { EXAMPLE_QUERIES, STARTER_QUERY } from '@/lib/sql-console/examples';
import { CONSOLE_ROW_CAP, CONSOLE_TIME_LIMIT_MS } from '@/lib/sql-console/run-query';
import { listSavedQueries } from '@/lib/sql-console/saved-queries';

export const metadata: Metadata = { title: 'SQL' };

export default async function SqlPage() {
  const operator = await requireOperator('viewer');
  if (!roleAtLeast(operator.role, 'admin')) {
    // Said plainly rather than thrown: the statements (and the export route) check the role again.
    return (
      <div
        role="alert"
        className="space-y-2 rounded-xl border border-amber-200 bg-amber-50 p-6 dark:border-amber-900 dark:bg-amber-950/40"
      >
        <h1 className="text-lg font-semibold">The SQL console is for admins</h1>
        <p className="text-sm text-zinc-700 dark:text-zinc-300">
          You are signed in as a {operator.role}. The registry and the table browser show every table; ask an
          admin for queries beyond them.
        </p>
      </div>
    );
  }
  const db = await getDb();
  const saved = await listSavedQueries(db);
  const engine = db.driver === 'better-sqlite3' ? 'SQLite' : db.driver === 'pglite' ? 'PGlite' : 'PostgreSQL';
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-2xl font-semibold">SQL</h1>
        <p className="text-sm text-zinc-500">
          Ask the main database anything it can answer without changing. Statements that write are refused; a
          runaway query is stopped and the console stays responsive.
        </p>
      </div>
      <SqlConsole
        initialSql={STARTER_QUERY.sql}
        examples={EXAMPLE_QUERIES}
        saved={saved}
        rowCap={CONSOLE_ROW_CAP}
        timeLimitSeconds={CONSOLE_TIME_LIMIT_MS / 1000}
        engine={engine}
      />
    </div>
  );
}
