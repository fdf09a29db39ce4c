'use client';

import { useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { type JobView, backupJobAction, startBackupAction } from '@/lib/operations/actions';
import { JobProgress } from './job-progress';

const pollBackup = () => backupJobAction({});

/** "Back up now": starts a backup in the server and follows its progress. */
export function BackupNowButton({ initial, disabled }: { initial: JobView; disabled?: string }) {
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [watch, setWatch] = useState(0);
  const running = initial?.status === 'running';
  const onClick = () =>
    start(async () => {
      setError(null);
      try {
        const result = await startBackupAction({});
        if (result.ok) setWatch((n) => n + 1);
        else setError(result.error);
      } catch {
        setError('The server did not answer. Reload the page to see whether the backup started.');
      }
    });
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-3">
        <Button
          type="button"
          onClick={onClick}
          disabled={pending || running || Boolean(disabled)}
          title={disabled}
        >
          {pending ? 'Starting…' : 'Back up now'}
        </Button>
        {error && (
          <span role="alert" className="text-sm text-red-700 dark:text-red-400">
            {error}
          </span>
        )}
      </div>
      <JobProgress key={watch} initial={initial} poll={pollBackup} label="Backup progress" watch={watch} />
    </div>
  );
}
