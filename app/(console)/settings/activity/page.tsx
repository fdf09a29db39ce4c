import type { Metadata } from 'next';
import { ActivityTable } from '@/components/settings/activity-table';
import { AdminOnlyNotice } from '@/components/settings/admin-only-notice';
import { Panel } from '@/components/ui/panel';
import { getDb } from '@/db/client';
import { requireOperator } from '@/lib/auth/current';
import { parseActivitySearchParams } from '@/lib/settings/activity-params';
import { getActivityPage } from '@/lib/settings/queries';

export const metadata: Metadata = { title: 'Activity' };

export default async function ActivitySettingsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const operator = await requireOperator('viewer');
  if (operator.role !== 'admin') return <AdminOnlyNotice section="The activity log" />;
  const page = await getActivityPage(await getDb(), parseActivitySearchParams(await searchParams));
  return (
    <Panel title="Recent activity">
      <div className="space-y-3">
        <p className="text-xs text-zinc-500">
          Sign-ins, operators and API tokens created or changed, from this screen and from the command line.
          Post decisions have their own history on each post.
        </p>
        <ActivityTable page={page} />
      </div>
    </Panel>
  );
}
