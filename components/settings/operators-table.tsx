'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import type { Role } from '@/lib/auth/roles';
import {
  disableOperatorAction,
  enableOperatorAction,
  resetOperatorPasswordAction,
  setOperatorRoleAction,
} from '@/lib/settings/actions';
import type { OperatorListItem } from '@/lib/settings/queries';
import { formatDateTime, parseDbTime } from '@/lib/time/format';
import { ConfirmAction } from './confirm-action';
import { FormStatus } from './form-status';
import { ROLE_SHORT_OPTIONS } from './role-options';
import { type FormActionState, useFormAction } from './use-form-action';

const CELL = 'px-2 py-2 align-top sm:px-3';

/** The console's operators with their role, status and the admin's actions on each. */
export function OperatorsTable({
  operators,
  currentUsername,
  passwordHint,
}: {
  operators: OperatorListItem[];
  currentUsername: string;
  passwordHint: string;
}) {
  // One live region for the whole table, always present, so every row's result is announced.
  const [announcement, setAnnouncement] = useState<FormActionState | null>(null);
  return (
    <div className="space-y-2">
      <div className="relative overflow-x-auto rounded-lg border border-zinc-200 dark:border-zinc-800">
        <table className="w-full border-collapse text-left text-sm">
          <caption className="sr-only">Operators</caption>
          <thead className="bg-zinc-50 text-xs uppercase tracking-wide text-zinc-500 dark:bg-zinc-950/40">
            <tr>
              <th scope="col" className={`${CELL} font-medium`}>
                Operator
              </th>
              <th scope="col" className={`${CELL} font-medium`}>
                Role
              </th>
              <th scope="col" className={`${CELL} hidden font-medium sm:table-cell`}>
                Status
              </th>
              <th scope="col" className={`${CELL} hidden font-medium md:table-cell`}>
                Created
              </th>
              <th scope="col" className={`${CELL} font-medium`}>
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {operators.map((operator) => (
              <OperatorRow
                key={operator.id}
                operator={operator}
                isSelf={operator.username === currentUsername}
                passwordHint={passwordHint}
                onResult={setAnnouncement}
              />
            ))}
          </tbody>
        </table>
      </div>
      <FormStatus result={announcement} className="sr-only" />
    </div>
  );
}

function OperatorStatus({ operator }: { operator: OperatorListItem }) {
  const disabledAt = formatDateTime(parseDbTime(operator.disabledAt));
  return operator.disabledAt !== null ? (
    <>
      <span className="text-red-700 dark:text-red-400">Disabled</span>
      <div className="text-xs text-zinc-500">since {disabledAt}</div>
    </>
  ) : (
    <>
      <span className="text-emerald-700 dark:text-emerald-400">Active</span>
      <div className="text-xs text-zinc-500">
        {operator.activeSessions} session{operator.activeSessions === 1 ? '' : 's'}
      </div>
    </>
  );
}

function OperatorRow({
  operator,
  isSelf,
  passwordHint,
  onResult,
}: {
  operator: OperatorListItem;
  isSelf: boolean;
  passwordHint: string;
  onResult: (result: FormActionState) => void;
}) {
  const [message, setMessageState] = useState<FormActionState | null>(null);
  const setMessage = (result: FormActionState) => {
    setMessageState(result);
    onResult(result);
  };
  const [role, setRole] = useState<Role>(operator.role);
  const [resetting, setResetting] = useState(false);
  const roleForm = useFormAction(setOperatorRoleAction, {
    onResult: (result) => {
      setMessage(result);
      // A refused change puts the select back on the stored role.
      if (!result.ok) setRole(operator.role);
    },
  });
  const disable = useFormAction(disableOperatorAction, { onResult: setMessage });
  const enable = useFormAction(enableOperatorAction, { onResult: setMessage });
  const reset = useFormAction(resetOperatorPasswordAction, {
    onResult: setMessage,
    onSuccess: () => setResetting(false),
  });
  const disabled = operator.disabledAt !== null;
  const name = operator.username;
  return (
    <>
      <tr className="border-t border-zinc-100 dark:border-zinc-800" data-operator={name}>
        <td className={CELL}>
          <div className="font-mono">
            {name}
            {isSelf && (
              <span className="ml-2 rounded bg-sky-100 px-1.5 py-0.5 font-sans text-xs text-sky-800 dark:bg-sky-950 dark:text-sky-300">
                you
              </span>
            )}
          </div>
          {operator.displayName && <div className="text-xs text-zinc-500">{operator.displayName}</div>}
          {/* Phones have no room for the status column: it goes under the name. */}
          <div className="mt-1 text-sm sm:hidden">
            <OperatorStatus operator={operator} />
          </div>
        </td>
        <td className={CELL}>
          <form onSubmit={roleForm.onSubmit} className="flex items-center gap-2">
            <input type="hidden" name="username" value={name} />
            <label htmlFor={`role-${operator.id}`} className="sr-only">
              Role of {name}
            </label>
            <select
              id={`role-${operator.id}`}
              name="role"
              value={role}
              onChange={(event) => setRole(event.target.value as Role)}
              className="h-8 rounded-md border border-zinc-300 bg-white px-2 text-sm dark:border-zinc-700 dark:bg-zinc-900"
            >
              {ROLE_SHORT_OPTIONS.map((option) => (
                <option key={option.value} value={option.value}>
                  {option.label}
                </option>
              ))}
            </select>
            {role !== operator.role && (
              <Button type="submit" className="h-8 px-2 text-xs" disabled={roleForm.pending}>
                {roleForm.pending ? 'Saving…' : 'Save'}
              </Button>
            )}
          </form>
        </td>
        <td className={`${CELL} hidden sm:table-cell`}>
          <OperatorStatus operator={operator} />
        </td>
        <td className={`${CELL} hidden whitespace-nowrap md:table-cell`}>
          {formatDateTime(parseDbTime(operator.createdAt))}
        </td>
        <td className={CELL}>
          <div className="flex flex-col items-end gap-2 sm:flex-row sm:flex-wrap sm:items-start sm:justify-end">
            {disabled ? (
              <form onSubmit={enable.onSubmit}>
                <input type="hidden" name="username" value={name} />
                <Button
                  type="submit"
                  variant="secondary"
                  className="h-8 px-2 text-xs"
                  disabled={enable.pending}
                >
                  {enable.pending ? 'Enabling…' : 'Enable'}
                </Button>
              </form>
            ) : (
              <ConfirmAction
                label="Disable"
                question={
                  isSelf
                    ? 'Disable your own account? You will be signed out.'
                    : `Disable ${name}? Their sessions end now.`
                }
                confirmLabel={`Disable ${name}`}
                pending={disable.pending}
                onSubmit={disable.onSubmit}
                hidden={{ username: name }}
              />
            )}
            {!isSelf && (
              <Button
                type="button"
                variant="secondary"
                className="h-8 px-2 text-xs"
                aria-expanded={resetting}
                aria-controls={`reset-${operator.id}`}
                onClick={() => setResetting((open) => !open)}
              >
                Reset password
              </Button>
            )}
          </div>
        </td>
      </tr>
      {(resetting || message) && (
        <tr className="bg-zinc-50/60 dark:bg-zinc-950/30">
          <td colSpan={5} className="px-2 pb-3 sm:px-3">
            {resetting && (
              <form
                id={`reset-${operator.id}`}
                onSubmit={reset.onSubmit}
                noValidate
                aria-label={`Reset the password of ${name}`}
                className="flex flex-wrap items-end gap-3 pt-2"
              >
                <input type="hidden" name="username" value={name} />
                <div className="min-w-56 flex-1 sm:max-w-sm">
                  <Field
                    id={`reset-password-${operator.id}`}
                    label={`New password for ${name}`}
                    name="password"
                    type="password"
                    autoComplete="new-password"
                    hint={`${passwordHint} Their sessions end.`}
                    errors={reset.fieldErrors.password}
                    autoFocus
                  />
                </div>
                <div className="flex gap-2 pb-6">
                  <Button type="submit" disabled={reset.pending}>
                    {reset.pending ? 'Resetting…' : 'Reset password'}
                  </Button>
                  <Button type="button" variant="ghost" onClick={() => setResetting(false)}>
                    Cancel
                  </Button>
                </div>
              </form>
            )}
            {message && (
              <p
                data-testid="operator-result"
                className={`pt-1 text-sm [overflow-wrap:anywhere] ${message.ok ? 'text-emerald-700 dark:text-emerald-400' : 'text-red-600 dark:text-red-400'}`}
              >
                {message.ok ? message.message : message.error}
              </p>
            )}
          </td>
        </tr>
      )}
    </>
  );
}
