'use client';

import { startMaintenanceAction } from '@/lib/registry/actions';
import type { MaintenanceKind } from '@/lib/registry/maintenance';
import { ActionButton } from './action-button';

const CONFIRM: Partial<Record<MaintenanceKind, string>> = {
  integrity_check:
    'An integrity check reads the whole file; on a large database it takes a while (it runs in the background). Start it?',
  checkpoint: 'Copy the WAL into the database file and truncate it? Writers wait briefly while it runs.',
};

/** The admin's maintenance tasks; each runs as a background job whose result shows below. */
export function MaintenanceButtons({
  kinds,
  labels,
  running,
}: {
  kinds: MaintenanceKind[];
  labels: Record<MaintenanceKind, string>;
  running: string[];
}) {
  return (
    <div className="flex flex-wrap gap-2" role="group" aria-label="Maintenance">
      {kinds.map((kind) => (
        <ActionButton
          key={kind}
          action={() => startMaintenanceAction({ kind })}
          confirm={running.includes(kind) ? undefined : CONFIRM[kind]}
        >
          {running.includes(kind) ? `${labels[kind]} (running)` : labels[kind]}
        </ActionButton>
      ))}
    </div>
  );
}
