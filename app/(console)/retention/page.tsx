import type { Metadata } from 'next';
import { OperationsAdminOnly } from '@/components/operations/admin-only';
import { RetentionDryRun } from '@/components/operations/retention-dry-run';
import { RetentionHistory } from '@/components/operations/retention-history';
import { RetentionPolicyForm } from '@/components/operations/retention-policy-form';
import { EmptyState, Panel } from '@/components/ui/panel';
import { requireOperator } from '@/lib/auth/current';
import { roleAtLeast } from '@/lib/auth/roles';
import { getRetentionPageData } from '@/lib/operations/queries';

export const metadata: Metadata = { title: 'Retention' };

export default async function RetentionPage() {
  const operator = await requireOperator('viewer');
  if (!roleAtLeast(operator.role, 'admin'))
    return <OperationsAdminOnly screen="Retention" role={operator.role} />;
  const data = await getRetentionPageData();
  const withPolicy = new Set(data.policies.map((p) => p.source));
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-2xl font-semibold">Retention</h1>
        <p className="text-sm text-zinc-500">
          How long high-volume telemetry is kept. Old rows are archived to compressed JSONL in{' '}
          <code className="font-mono text-xs">{data.archiveDirectory}</code> before they are deleted, in short
          batches the agents barely notice; posts and review history are never expired.
        </p>
      </div>
      <Panel title="Policies">
        <div className="space-y-4">
          {data.policies.length === 0 ? (
            <EmptyState>No policy: every row is kept.</EmptyState>
          ) : (
            <ul className="divide-y divide-zinc-100 dark:divide-zinc-800">
              {data.policies.map((policy) => (
                <li key={policy.source} className="space-y-1 py-3">
                  <p className="text-sm font-medium">
                    {policy.label} <span className="font-mono text-xs text-zinc-500">{policy.table}</span>
                    <span className="ml-2 text-xs font-normal text-zinc-500">
                      by {policy.updatedBy}, {policy.updatedAt.slice(0, 16).replace('T', ' ')} UTC
                    </span>
                  </p>
                  <RetentionPolicyForm
                    source={policy.source}
                    label={policy.label}
                    keepDays={policy.keepDays}
                    enabled={policy.enabled}
                  />
                </li>
              ))}
            </ul>
          )}
          <div className="border-t border-zinc-200 pt-4 dark:border-zinc-800">
            <h3 className="mb-2 text-sm font-semibold">Add a policy</h3>
            <RetentionPolicyForm sources={data.sources.filter((s) => !withPolicy.has(s.id as never))} />
          </div>
        </div>
      </Panel>
      <Panel title="Run">
        <RetentionDryRun initialJob={data.job} hasPolicies={data.policies.some((p) => p.enabled)} />
      </Panel>
      <Panel title="History">
        <RetentionHistory runs={data.runs} />
      </Panel>
    </div>
  );
}
