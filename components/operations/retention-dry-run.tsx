'use client';

import { useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { formatCount } from '@/lib/format/numbers';
import {
  type JobView,
  dryRunAction,
  executeRetentionAction,
  retentionJobAction,
} from '@/lib/operations/actions';
import type { RetentionPlan } from '@/lib/operations/retention';
import { JobProgress } from './job-progress';

const pollRetention = () => retentionJobAction({});

/** Dry run first (how many rows per source, and where they would be archived), then execute one of them. */
export function RetentionDryRun({ initialJob, hasPolicies }: { initialJob: JobView; hasPolicies: boolean }) {
  const [pending, start] = useTransition();
  const [plans, setPlans] = useState<RetentionPlan[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [watch, setWatch] = useState(0);
  const running = initialJob?.status === 'running';

  const dryRun = () =>
    start(async () => {
      setError(null);
      setMessage(null);
      try {
        const result = await dryRunAction({});
        if (result.ok) setPlans(result.plans);
        else setError(result.error);
      } catch {
        setError('The server did not answer; try again.');
      }
    });
  const execute = (plan: RetentionPlan) =>
    start(async () => {
      if (
        !window.confirm(
          `Archive ${plan.rows} ${plan.source} row(s) older than ${plan.keepDays} days to ${plan.archivePath}, then delete them?`,
        )
      )
        return;
      setError(null);
      try {
        const result = await executeRetentionAction({ runId: plan.runId });
        if (result.ok) {
          setMessage(result.message);
          setPlans(null);
          setWatch((n) => n + 1);
        } else setError(result.error);
      } catch {
        setError('The server did not answer. Reload the page to see whether the run started.');
      }
    });

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-3">
        <Button type="button" onClick={dryRun} disabled={pending || !hasPolicies || running}>
          {pending && !plans ? 'Counting…' : 'Dry run'}
        </Button>
        <span className="text-sm text-zinc-500">
          Counts what each enabled policy would delete; deletes nothing.
        </span>
      </div>
      {error && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {error}
        </p>
      )}
      {message && (
        <p role="status" className="text-sm text-emerald-700 dark:text-emerald-400">
          {message}
        </p>
      )}
      {plans && (
        <div className="overflow-x-auto">
          {plans.length === 0 ? (
            <p className="text-sm text-zinc-500">No enabled policy applies to a table in this database.</p>
          ) : (
            <table className="w-full min-w-[40rem] text-left text-sm" aria-label="Dry run">
              <thead className="text-xs uppercase tracking-wide text-zinc-500">
                <tr>
                  <th className="py-2 pr-4 font-medium">Source</th>
                  <th className="py-2 pr-4 font-medium">Older than</th>
                  <th className="py-2 pr-4 text-right font-medium">Rows</th>
                  <th className="py-2 pr-4 font-medium">Archive</th>
                  <th className="py-2 font-medium">
                    <span className="sr-only">Execute</span>
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-100 align-top dark:divide-zinc-800">
                {plans.map((plan) => (
                  <tr key={plan.runId}>
                    <td className="py-2 pr-4">
                      {plan.source}
                      <span className="block font-mono text-xs text-zinc-500">{plan.table}</span>
                    </td>
                    <td className="py-2 pr-4 whitespace-nowrap">
                      {plan.cutoff.slice(0, 19)} UTC
                      <span className="block text-xs text-zinc-500">keep {plan.keepDays} d</span>
                    </td>
                    <td className="py-2 pr-4 text-right tabular-nums">{formatCount(plan.rows)}</td>
                    <td className="py-2 pr-4 font-mono text-xs [overflow-wrap:anywhere]">
                      {plan.rows ? plan.archivePath : '—'}
                    </td>
                    <td className="py-2">
                      <Button
                        type="button"
                        variant="danger"
                        className="px-2 py-1 text-xs whitespace-nowrap"
                        disabled={pending || plan.rows === 0}
                        onClick={() => execute(plan)}
                      >
                        Archive and delete<span className="sr-only"> {plan.source} rows</span>
                      </Button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
      <JobProgress
        key={watch}
        initial={initialJob}
        poll={pollRetention}
        label="Retention progress"
        watch={watch}
      />
    </div>
  );
}
