import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { AuthCard } from '@/components/auth/auth-card';
import { LoginForm } from '@/components/auth/login-form';
import { DatabaseSignInBar } from '@/components/shell/database-sign-in-bar';
import { getCurrentOperator } from '@/lib/auth/current';

export const metadata: Metadata = { title: 'Sign in' };

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  if (await getCurrentOperator()) redirect('/');
  const { next } = await searchParams;
  return (
    <>
      <DatabaseSignInBar />
      <AuthCard
        title="Sign in"
        footer={
          <>
            No account yet? An admin creates one with{' '}
            <code className="font-mono">npx foundups operators create</code>.
          </>
        }
      >
        <LoginForm next={typeof next === 'string' ? next : undefined} />
      </AuthCard>
    </>
  );
}
