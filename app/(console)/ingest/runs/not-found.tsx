import Link from 'next/link';
import { Panel } from '@/components/ui/panel';

export default function IngestRunNotFound() {
  return (
    <Panel title="No such run">
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        There is no ingest run with that number.{' '}
        <Link href="/ingest/runs" className="text-sky-700 underline dark:text-sky-400">
          See every run
        </Link>
        .
      </p>
    </Panel>
  );
}
