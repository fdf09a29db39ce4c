import type { Metadata } from 'next';
import { AdminOnlyNotice } from '@/components/settings/admin-only-notice';
import { CreateTokenForm } from '@/components/settings/create-token-form';
import { TokensTable } from '@/components/settings/tokens-table';
import { EmptyState, Panel } from '@/components/ui/panel';
import { getDb } from '@/db/client';
import { requireOperator } from '@/lib/auth/current';
import { API_TOKEN_SCOPES, API_TOKEN_SCOPE_DESCRIPTIONS } from '@/lib/review/tokens';
import { getApiTokens } from '@/lib/settings/queries';
import { MAX_TOKEN_EXPIRY_DAYS } from '@/lib/settings/validations';

export const metadata: Metadata = { title: 'API tokens' };

const SCOPES = API_TOKEN_SCOPES.map((scope) => ({
  value: scope,
  description: API_TOKEN_SCOPE_DESCRIPTIONS[scope],
}));

export default async function TokensSettingsPage() {
  const operator = await requireOperator('viewer');
  if (operator.role !== 'admin') return <AdminOnlyNotice section="API tokens" />;
  const now = new Date();
  const tokens = await getApiTokens(await getDb(), now);
  const active = tokens.filter((token) => token.status === 'active').length;
  return (
    <div className="space-y-6">
      <Panel title="Create an API token">
        <div className="space-y-4">
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            Agents that do not write SQL use <code className="font-mono text-xs">/api/v1</code> with a token.
            Give each agent its own token with only the scopes it needs. The command line does the same:{' '}
            <code className="font-mono text-xs">
              npx foundups tokens create --name NAME --scopes posts:write
            </code>
            .
          </p>
          <CreateTokenForm scopes={SCOPES} maxExpiryDays={MAX_TOKEN_EXPIRY_DAYS} />
        </div>
      </Panel>
      <Panel title={`API tokens (${active} active of ${tokens.length})`}>
        {tokens.length === 0 ? (
          <EmptyState>No API tokens yet. Agents that write SQL directly need none.</EmptyState>
        ) : (
          <TokensTable tokens={tokens} now={now.toISOString()} />
        )}
      </Panel>
    </div>
  );
}
