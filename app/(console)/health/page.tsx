import type { Metadata } from 'next';
import Link from 'next/link';
import { OperationsAdminOnly } from '@/components/operations/admin-only';
import { HealthReportView } from '@/components/operations/health-report-view';
import { requireOperator } from '@/lib/auth/current';
import { roleAtLeast } from '@/lib/auth/roles';
import { getHealthReport } from '@/lib/operations/queries';

export const metadata: Metadata = { title: 'Health' };
export const dynamic = 'force-dynamic';

export default async function HealthPage() {
  const operator = await requireOperator('viewer');
  if (!roleAtLeast(operator.role, 'admin'))
    return <OperationsAdminOnly screen="Health" role={operator.role} />;
  const report = await getHealthReport();
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-2">
        <div>
          <h1 className="text-2xl font-semibold">Health</h1>
          <p className="text-sm text-zinc-500">
            The database and the console’s own latency, as this server sees them.
          </p>
        </div>
        <Link href="/health" prefetch={false} className="text-sm text-sky-700 underline dark:text-sky-400">
          Refresh
        </Link>
      </div>
      <HealthReportView report={report} />
    </div>
  );
}
