import type { Metadata } from 'next';
import { AuthCard } from '@/components/auth/auth-card';
import { SetupForm } from '@/components/auth/setup-form';
import { getDb } from '@/db/client';
import { countOperators } from '@/lib/auth/operators';
import { checkSetupToken } from '@/lib/auth/setup-token';

export const metadata: Metadata = { title: 'Create the first admin' };

export default async function SetupPage({ searchParams }: { searchParams: Promise<{ token?: string }> }) {
  const { token } = await searchParams;
  const db = await getDb();
  const valid =
    typeof token === 'string' && (await countOperators(db)) === 0 && (await checkSetupToken(db, token));
  if (!valid) {
    return (
      <AuthCard title="Setup link not valid">
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          This link is invalid, expired or already used. If the console has no operators yet, run{' '}
          <code className="font-mono">npx foundups setup-link</code> for a new link; otherwise ask an admin
          for an account.
        </p>
      </AuthCard>
    );
  }
  return (
    <AuthCard title="Create the first admin">
      <SetupForm token={token} />
    </AuthCard>
  );
}
