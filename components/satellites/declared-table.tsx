'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { Badge } from '@/components/registry/badge';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import {
  type SatelliteActionResult,
  createDeclaredAction,
  deleteDeclaredAction,
  updateDeclaredAction,
} from '@/lib/satellites/actions';
import type { InventoryDeclared } from '@/lib/satellites/inventory';

type Errors = Record<string, string[]>;

function DeclaredForm({
  entry,
  onDone,
}: {
  entry: InventoryDeclared | null;
  onDone: (message: string) => void;
}) {
  const router = useRouter();
  const [errors, setErrors] = useState<Errors>({});
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const id = entry ? `declared-${entry.id}` : 'declared-new';
  return (
    <form
      className="grid gap-3 rounded-lg border border-zinc-200 bg-zinc-50 p-3 sm:grid-cols-2 dark:border-zinc-800 dark:bg-zinc-950/40"
      aria-label={entry ? `Edit ${entry.pattern}` : 'Declare a satellite'}
      onSubmit={(event) => {
        event.preventDefault();
        const form = new FormData(event.currentTarget);
        start(async () => {
          let result: SatelliteActionResult;
          try {
            result = entry ? await updateDeclaredAction(form) : await createDeclaredAction(form);
          } catch {
            result = { ok: false, error: 'The server did not answer; nothing was saved.' };
          }
          if (result.ok) {
            setErrors({});
            setError(null);
            onDone(result.message);
            router.refresh();
          } else {
            setErrors(result.fieldErrors ?? {});
            setError(result.error);
            if (!result.fieldErrors) router.refresh();
          }
        });
      }}
    >
      {entry && <input type="hidden" name="id" value={entry.id} />}
      {entry && <input type="hidden" name="expectedUpdatedAt" value={entry.updatedAt} />}
      <Field
        id={`${id}-pattern`}
        label="Path pattern"
        name="pattern"
        required
        maxLength={300}
        defaultValue={entry?.pattern}
        errors={errors.pattern}
        hint="Relative to the root; * within a folder, ** across folders; a leading / anchors it to the root."
      />
      <Field
        id={`${id}-owner`}
        label="Owner"
        name="owner"
        required
        maxLength={100}
        defaultValue={entry?.owner}
        errors={errors.owner}
      />
      <Field
        id={`${id}-rationale`}
        label="Rationale"
        name="rationale"
        required
        maxLength={500}
        defaultValue={entry?.rationale}
        errors={errors.rationale}
      />
      <div className="grid grid-cols-[6rem_1fr] gap-3">
        <Field
          id={`${id}-phase`}
          label="Phase"
          name="phase"
          inputMode="numeric"
          pattern="[1-9]?"
          maxLength={1}
          defaultValue={entry?.phase ?? ''}
          errors={errors.phase}
          hint="1–9, or empty"
        />
        <Field
          id={`${id}-plan`}
          label="Consolidation plan"
          name="plan"
          maxLength={500}
          defaultValue={entry?.plan ?? ''}
          errors={errors.plan}
        />
      </div>
      <div className="flex items-center gap-2 sm:col-span-2">
        <Button type="submit" disabled={pending}>
          {pending ? 'Saving…' : entry ? 'Save' : 'Declare'}
        </Button>
        <Button type="button" variant="ghost" onClick={() => onDone('')}>
          Cancel
        </Button>
        {error && (
          <p role="alert" className="text-sm text-red-600 dark:text-red-400">
            {error}
          </p>
        )}
      </div>
    </form>
  );
}

/** The declared satellites (SCHEMA.md's list, as edited by admins), each with the files it matches. */
export function DeclaredTable({ declared, canEdit }: { declared: InventoryDeclared[]; canEdit: boolean }) {
  const router = useRouter();
  const [editing, setEditing] = useState<number | 'new' | null>(null);
  const [message, setMessage] = useState('');
  const [pending, start] = useTransition();
  const done = (text: string) => {
    setEditing(null);
    setMessage(text);
  };
  const th = 'px-3 py-2 text-left text-xs font-medium tracking-wide text-zinc-500 uppercase';
  return (
    <div className="space-y-3">
      <div className="flex items-center justify-between gap-2">
        <p aria-live="polite" className="text-sm text-zinc-600 dark:text-zinc-400">
          {message}
        </p>
        {canEdit && editing !== 'new' && (
          <Button type="button" variant="secondary" onClick={() => setEditing('new')}>
            Declare a satellite
          </Button>
        )}
      </div>
      {editing === 'new' && <DeclaredForm entry={null} onDone={done} />}
      <div className="overflow-x-auto rounded-xl border border-zinc-200 bg-white shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
        <table className="w-full text-sm">
          <caption className="sr-only">Declared satellite databases</caption>
          <thead className="bg-zinc-50 dark:bg-zinc-950/40">
            <tr>
              <th scope="col" className={th}>
                Pattern
              </th>
              <th scope="col" className={th}>
                Owner
              </th>
              <th scope="col" className={`${th} hidden md:table-cell`}>
                Rationale
              </th>
              <th scope="col" className={th}>
                Consolidation
              </th>
              <th scope="col" className={th}>
                Found
              </th>
              {canEdit && (
                <th scope="col" className={th}>
                  <span className="sr-only">Actions</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {declared.length === 0 && (
              <tr>
                <td colSpan={canEdit ? 6 : 5} className="px-3 py-8 text-center text-zinc-500">
                  No satellite is declared: every SQLite file found is undocumented.
                </td>
              </tr>
            )}
            {declared.map((entry) =>
              editing === entry.id ? (
                <tr key={entry.id} className="border-t border-zinc-100 dark:border-zinc-800">
                  <td colSpan={6} className="p-2">
                    <DeclaredForm entry={entry} onDone={done} />
                  </td>
                </tr>
              ) : (
                <tr
                  key={entry.id}
                  className="border-t border-zinc-100 align-top dark:border-zinc-800"
                  data-pattern={entry.pattern}
                >
                  <td className="px-3 py-2 font-mono text-xs [overflow-wrap:anywhere]">{entry.pattern}</td>
                  <td className="px-3 py-2">{entry.owner}</td>
                  <td className="hidden px-3 py-2 text-zinc-600 md:table-cell dark:text-zinc-400">
                    {entry.rationale}
                  </td>
                  <td className="px-3 py-2 text-xs">
                    {entry.phase !== null && <span className="mr-1 font-medium">Phase {entry.phase}:</span>}
                    {entry.plan ?? <Badge tone="warning">no plan</Badge>}
                  </td>
                  <td className="px-3 py-2 text-xs">
                    {entry.missing ? (
                      <Badge tone="danger">missing</Badge>
                    ) : entry.files.length ? (
                      <span>
                        {entry.files.length} file{entry.files.length === 1 ? '' : 's'}
                      </span>
                    ) : (
                      <span className="text-zinc-400">—</span>
                    )}
                  </td>
                  {canEdit && (
                    <td className="px-3 py-2 text-right whitespace-nowrap">
                      <button
                        type="button"
                        className="mr-2 text-xs text-sky-700 underline dark:text-sky-400"
                        onClick={() => setEditing(entry.id)}
                        aria-label={`Edit ${entry.pattern}`}
                      >
                        Edit
                      </button>
                      <button
                        type="button"
                        className="text-xs text-red-700 underline disabled:opacity-50 dark:text-red-400"
                        disabled={pending}
                        aria-label={`Remove ${entry.pattern}`}
                        onClick={() => {
                          if (
                            !window.confirm(
                              `Remove the declaration ${entry.pattern}? Files it matches will show as undocumented.`,
                            )
                          )
                            return;
                          start(async () => {
                            const result = await deleteDeclaredAction({ id: entry.id });
                            setMessage(result.ok ? result.message : result.error);
                            router.refresh();
                          });
                        }}
                      >
                        Remove
                      </button>
                    </td>
                  )}
                </tr>
              ),
            )}
          </tbody>
        </table>
      </div>
    </div>
  );
}
