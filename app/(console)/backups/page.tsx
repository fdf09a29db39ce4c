import type { Metadata } from 'next';
import { OperationsAdminOnly } from '@/components/operations/admin-only';
import { BackupNowButton } from '@/components/operations/backup-now-button';
import { BackupsTable } from '@/components/operations/backups-table';
import { Panel } from '@/components/ui/panel';
import { requireOperator } from '@/lib/auth/current';
import { roleAtLeast } from '@/lib/auth/roles';
import { pgDumpHint } from '@/lib/operations/backup';
import { getBackupsPageData } from '@/lib/operations/queries';

export const metadata: Metadata = { title: 'Backups' };

export default async function BackupsPage() {
  const operator = await requireOperator('viewer');
  if (!roleAtLeast(operator.role, 'admin'))
    return <OperationsAdminOnly screen="Backups" role={operator.role} />;
  const data = await getBackupsPageData();
  const verified = data.backups.filter((item) => item.present && item.status === 'verified');
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-2xl font-semibold">Backups</h1>
        <p className="text-sm text-zinc-500">
          Online copies of the database, taken while the agents keep writing, each checked with
          integrity_check before it is listed.
        </p>
      </div>
      {data.dialect === 'postgres' ? (
        <Panel title="PostgreSQL">
          <p className="text-sm">
            This console uses PostgreSQL, which the console does not copy itself. Back it up with{' '}
            <code className="font-mono text-xs [overflow-wrap:anywhere]">{pgDumpHint()}</code>
          </p>
        </Panel>
      ) : (
        <>
          <Panel title="Back up now">
            <BackupNowButton initial={data.job} />
          </Panel>
          <Panel
            title={`Backups (${verified.length} verified)`}
            actions={
              <span className="font-mono text-xs text-zinc-500 [overflow-wrap:anywhere]">
                {data.directory}
              </span>
            }
          >
            <BackupsTable backups={data.backups} />
          </Panel>
          <Panel title="Restore">
            <p className="text-sm text-zinc-600 dark:text-zinc-400">
              Restoring replaces the database file, so it is done from the command line with the console and
              the agents stopped:{' '}
              <code className="font-mono text-xs">npx foundups restore data/backups/FILE.db</code>. It
              verifies the backup first, refuses while any process still has the database open (unless{' '}
              <code className="font-mono text-xs">--force</code>), and keeps the replaced file beside it.
            </p>
          </Panel>
        </>
      )}
    </div>
  );
}
