import { Panel } from '@/components/ui/panel';

/** What a viewer or reviewer sees at any Ingest address: a plain refusal, no data. */
export function IngestAdminOnly({ role }: { role: string }) {
  return (
    <Panel title="Admins only">
      <p className="text-sm text-zinc-600 dark:text-zinc-400" role="alert">
        The Ingest screen moves files into the database and is for admins only. You are signed in as a {role}:
        ask an admin of this console if JSONL files need to be audited or ingested.
      </p>
    </Panel>
  );
}
