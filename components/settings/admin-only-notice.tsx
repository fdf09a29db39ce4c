import { Panel } from '@/components/ui/panel';

/** What a viewer or reviewer sees at an admin-only Settings address: a plain refusal, no data. */
export function AdminOnlyNotice({ section }: { section: string }) {
  return (
    <Panel title="Admins only">
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        {section} can only be managed by an admin. Ask an admin of this console if you need a change here.
      </p>
    </Panel>
  );
}
