'use client';

import { useId, useState } from 'react';
import type { StartIngestInput } from '@/app/api/ingest/_lib/validations';
import { startIngestAction } from '@/lib/ingest/actions';
import { IngestActionButton } from './action-button';
import type { FileIngestState } from './file-status';
import { DOMAIN_OPTIONS, domainLabel } from './format';

/**
 * The Ingest button of one file (audited or uploaded). A file whose domain is unknown needs one chosen
 * first; a file changed on disk can be ingested again as a new generation, after a confirmation.
 */
export function FileIngestControl({
  target,
  name,
  state,
  domainChoice,
  busyReason,
}: {
  target: { scope: 'file'; path: string } | { scope: 'upload'; name: string };
  /** The file's name, for labels. */
  name: string;
  state: FileIngestState;
  /** required: the domain is unknown and no earlier run chose one; optional: detected unless chosen. */
  domainChoice: 'required' | 'optional' | 'none';
  /** Set while another run is going on: the button is disabled and says why. */
  busyReason: string | null;
}) {
  const selectId = useId();
  const [domain, setDomain] = useState<(typeof DOMAIN_OPTIONS)[number] | ''>('');
  const [error, setError] = useState<string | null>(null);
  const needsDomain = domainChoice === 'required';
  if (state === 'missing') return <span className="text-xs text-zinc-500">—</span>;
  const input = (): StartIngestInput =>
    target.scope === 'file'
      ? { ...target, domain, acceptRewrite: state === 'changed' }
      : { ...target, domain, finalize: true };
  const label =
    state === 'changed'
      ? 'Ingest as new generation'
      : state === 'done'
        ? 'Ingest again'
        : state === 'partly'
          ? 'Ingest the rest'
          : 'Ingest';
  return (
    <span className="inline-flex flex-wrap items-center gap-1.5">
      {domainChoice !== 'none' && (
        <>
          <label htmlFor={selectId} className="sr-only">
            Domain for {name}
          </label>
          <select
            id={selectId}
            value={domain}
            onChange={(event) => {
              setDomain(event.target.value as (typeof DOMAIN_OPTIONS)[number] | '');
              setError(null);
            }}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${selectId}-error` : undefined}
            className="h-7 rounded-md border border-zinc-300 bg-white px-1.5 text-xs dark:border-zinc-700 dark:bg-zinc-900"
          >
            <option value="">{needsDomain ? 'Choose a domain…' : 'Detect the domain'}</option>
            {DOMAIN_OPTIONS.map((option) => (
              <option key={option} value={option}>
                {domainLabel(option)}
              </option>
            ))}
          </select>
        </>
      )}
      <IngestActionButton
        action={async () => {
          if (needsDomain && !domain) {
            const message = `Choose the domain of ${name} first.`;
            setError(message);
            return { ok: false, error: message };
          }
          return startIngestAction(input());
        }}
        pendingLabel="Starting…"
        disabled={busyReason !== null}
        title={busyReason ?? `Ingest ${name}`}
        confirm={
          state === 'changed'
            ? `${name} changed on disk. Ingest it again as a new generation? Its earlier rows stay, so lines present in both versions will be in the database twice.`
            : undefined
        }
      >
        {label}
        <span className="sr-only"> {name}</span>
      </IngestActionButton>
      {error && (
        <span id={`${selectId}-error`} className="sr-only">
          {error}
        </span>
      )}
    </span>
  );
}
