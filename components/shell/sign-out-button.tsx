import { logout } from '@/lib/auth/actions';

export function SignOutButton() {
  return (
    <form action={logout}>
      <button
        type="submit"
        className="h-8 rounded-md px-2 text-sm text-zinc-600 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800"
      >
        Sign out
      </button>
    </form>
  );
}
