import type { Metadata } from 'next';
import { AdminOnlyNotice } from '@/components/settings/admin-only-notice';
import { CreateOperatorForm } from '@/components/settings/create-operator-form';
import { OperatorsTable } from '@/components/settings/operators-table';
import { EmptyState, Panel } from '@/components/ui/panel';
import { getDb } from '@/db/client';
import { requireOperator } from '@/lib/auth/current';
import { MIN_PASSWORD_LENGTH } from '@/lib/auth/password';
import { getOperatorList } from '@/lib/settings/queries';

export const metadata: Metadata = { title: 'Operators' };

export default async function OperatorsSettingsPage() {
  const operator = await requireOperator('viewer');
  if (operator.role !== 'admin') return <AdminOnlyNotice section="Operators" />;
  const operators = await getOperatorList(await getDb());
  const activeAdmins = operators.filter((entry) => entry.role === 'admin' && !entry.disabledAt).length;
  const passwordHint = `At least ${MIN_PASSWORD_LENGTH} characters, not containing the username.`;
  return (
    <div className="space-y-6">
      <Panel title="Create an operator">
        <CreateOperatorForm
          passwordHint={`${passwordHint} Hand it over through a safe channel; they can change it in Settings.`}
        />
      </Panel>
      <Panel title={`Operators (${operators.length})`}>
        <div className="space-y-3">
          <p className="text-xs text-zinc-500">
            Disabling an operator or resetting their password ends their sessions at once. The last active
            admin cannot be disabled or demoted{activeAdmins === 1 ? ' — there is one active admin now' : ''}.
          </p>
          {operators.length === 0 ? (
            <EmptyState>No operators yet.</EmptyState>
          ) : (
            <OperatorsTable
              operators={operators}
              currentUsername={operator.username}
              passwordHint={passwordHint}
            />
          )}
        </div>
      </Panel>
    </div>
  );
}
