import { DatabaseBand } from './database-band';
import { getDatabaseChoice } from './database-options';
import { DatabaseSwitcher } from './database-switcher';

/**
 * On the sign-in page: which database the sign-in is for (operators live in each database), and a
 * way back to another one when there is no account here.
 */
export async function DatabaseSignInBar() {
  const choice = await getDatabaseChoice();
  if (!choice.multiple) return null;
  return (
    <div className="fixed inset-x-0 top-0 z-10">
      <DatabaseBand database={choice.current} />
      <div className="flex flex-col items-center gap-1 border-b border-zinc-200 bg-white/90 px-4 py-2 text-center dark:border-zinc-800 dark:bg-zinc-900/90">
        <DatabaseSwitcher current={choice.current.name} options={choice.options} />
        <p className="text-xs text-zinc-500">
          Each database has its own operators: an admin adds you here with{' '}
          <code className="font-mono">
            FOUNDUPS_DATABASE={choice.current.name} npx foundups operators create
          </code>
          .
        </p>
      </div>
    </div>
  );
}
