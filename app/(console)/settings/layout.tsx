import type { Metadata } from 'next';
import { type SettingsTab, SettingsTabs } from '@/components/settings/settings-tabs';
import { requireOperator } from '@/lib/auth/current';

export const metadata: Metadata = { title: { template: '%s · Settings', default: 'Settings' } };

const ACCOUNT_TAB: SettingsTab = { href: '/settings', label: 'Account' };
const ADMIN_TABS: readonly SettingsTab[] = [
  { href: '/settings/operators', label: 'Operators' },
  { href: '/settings/tokens', label: 'API tokens' },
  { href: '/settings/activity', label: 'Activity' },
];

/** Everyone has the Account tab; only admins are shown the others (their pages and actions check again). */
export default async function SettingsLayout({ children }: { children: React.ReactNode }) {
  const operator = await requireOperator('viewer');
  const tabs = operator.role === 'admin' ? [ACCOUNT_TAB, ...ADMIN_TABS] : [ACCOUNT_TAB];
  return (
    <div className="space-y-6">
      <div className="space-y-1">
        <h1 className="text-2xl font-semibold">Settings</h1>
        <p className="text-sm text-zinc-500">
          {operator.role === 'admin'
            ? 'Your account, the console’s operators, the agents’ API tokens and what was changed.'
            : 'Your account and where you are signed in.'}
        </p>
      </div>
      <SettingsTabs tabs={tabs} />
      {children}
    </div>
  );
}
