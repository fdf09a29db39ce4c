import type { Metadata } from 'next';
import { cookies } from 'next/headers';
import { ChangePasswordForm } from '@/components/settings/change-password-form';
import { SessionsList } from '@/components/settings/sessions-list';
import { Panel } from '@/components/ui/panel';
import { getDb } from '@/db/client';
import { requireOperator } from '@/lib/auth/current';
import { MIN_PASSWORD_LENGTH } from '@/lib/auth/password';
import { SESSION_COOKIE, hashToken } from '@/lib/auth/sessions';
import { getOwnSessions } from '@/lib/settings/queries';
import { formatDateTime, parseDbTime } from '@/lib/time/format';

export const metadata: Metadata = { title: 'Account' };

export default async function AccountSettingsPage() {
  const operator = await requireOperator('viewer');
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  const now = new Date();
  const sessions = await getOwnSessions(await getDb(), operator.id, token ? hashToken(token) : null, now);
  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <Panel title="Your account">
        <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-2 text-sm">
          <dt className="text-zinc-500">Username</dt>
          <dd className="font-mono">{operator.username}</dd>
          <dt className="text-zinc-500">Display name</dt>
          <dd>{operator.displayName ?? <span className="text-zinc-400">not set</span>}</dd>
          <dt className="text-zinc-500">Role</dt>
          <dd>{operator.role}</dd>
          <dt className="text-zinc-500">Operator since</dt>
          <dd>{formatDateTime(parseDbTime(operator.createdAt))}</dd>
        </dl>
      </Panel>
      <Panel title="Change your password">
        <ChangePasswordForm
          passwordHint={`At least ${MIN_PASSWORD_LENGTH} characters, not containing your username.`}
        />
      </Panel>
      <div className="lg:col-span-2">
        <Panel title="Where you are signed in">
          <SessionsList sessions={sessions} now={now} />
        </Panel>
      </div>
    </div>
  );
}
