import { Panel } from '@/components/ui/panel';

/** What a viewer or reviewer sees on an operations screen: a plain refusal, no data. */
export function OperationsAdminOnly({ screen, role }: { screen: string; role: string }) {
  return (
    <Panel title="Admins only">
      <p className="text-sm text-zinc-600 dark:text-zinc-400" role="alert">
        The {screen} screen is for admins. You are signed in as a {role}.
      </p>
    </Panel>
  );
}
