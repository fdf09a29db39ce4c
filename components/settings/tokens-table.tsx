'use client';

import { useState } from 'react';
import type { ApiTokenListItem } from '@/lib/settings/api-tokens';
import { revokeApiTokenAction } from '@/lib/settings/actions';
import { formatAge, formatDateTime, parseDbTime } from '@/lib/time/format';
import { ConfirmAction } from './confirm-action';
import { FormStatus } from './form-status';
import { type FormActionState, useFormAction } from './use-form-action';

const CELL = 'px-2 py-2 align-top sm:px-3';

const STATUS_STYLE: Record<ApiTokenListItem['status'], string> = {
  active: 'bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300',
  revoked: 'bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-300',
  expired: 'bg-zinc-200 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300',
};

function When({ value, now, never = '—' }: { value: string | null; now: Date; never?: string }) {
  const date = parseDbTime(value);
  if (!date) return <span className="text-zinc-400 dark:text-zinc-600">{never}</span>;
  const future = date.getTime() > now.getTime();
  return (
    <span title={formatDateTime(date)} className="whitespace-nowrap">
      {formatDateTime(date).slice(0, 10)}
      <span className="block text-xs text-zinc-500">
        {future ? `in ${formatAge(now, date)}` : `${formatAge(date, now)} ago`}
      </span>
    </span>
  );
}

function ScopeList({ scopes }: { scopes: readonly string[] }) {
  return (
    <ul className="flex flex-wrap gap-1">
      {scopes.map((scope) => (
        <li key={scope} className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs dark:bg-zinc-800">
          {scope}
        </li>
      ))}
    </ul>
  );
}

/** Every API token: prefix, scopes, who made it, when it was last used; revoke with confirmation. */
export function TokensTable({ tokens, now: nowText }: { tokens: ApiTokenListItem[]; now: string }) {
  const now = new Date(nowText);
  const [result, setResult] = useState<FormActionState | null>(null);
  const revoke = useFormAction(revokeApiTokenAction, { onResult: setResult });
  return (
    <div className="space-y-2">
      <div className="relative overflow-x-auto rounded-lg border border-zinc-200 dark:border-zinc-800">
        <table className="w-full border-collapse text-left text-sm">
          <caption className="sr-only">API tokens</caption>
          <thead className="bg-zinc-50 text-xs uppercase tracking-wide text-zinc-500 dark:bg-zinc-950/40">
            <tr>
              <th scope="col" className={`${CELL} font-medium`}>
                Token
              </th>
              <th scope="col" className={`${CELL} hidden font-medium sm:table-cell`}>
                Scopes
              </th>
              <th scope="col" className={`${CELL} font-medium`}>
                Status
              </th>
              <th scope="col" className={`${CELL} hidden font-medium lg:table-cell`}>
                Created
              </th>
              <th scope="col" className={`${CELL} hidden font-medium sm:table-cell`}>
                Last used
              </th>
              <th scope="col" className={`${CELL} hidden font-medium md:table-cell`}>
                Expires
              </th>
              <th scope="col" className={`${CELL} font-medium`}>
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tokens.map((token) => (
              <tr
                key={token.id}
                className="border-t border-zinc-100 dark:border-zinc-800"
                data-token-id={token.id}
              >
                <td className={CELL}>
                  <div className="max-w-48 truncate font-medium" title={token.name} dir="auto">
                    {token.name}
                  </div>
                  <div className="font-mono text-xs text-zinc-500">{token.prefix}…</div>
                  {/* Phones have no room for the scopes column: they go under the name. */}
                  <div className="mt-1 sm:hidden">
                    <ScopeList scopes={token.scopes} />
                  </div>
                </td>
                <td className={`${CELL} hidden sm:table-cell`}>
                  <ScopeList scopes={token.scopes} />
                </td>
                <td className={CELL}>
                  <span className={`rounded px-1.5 py-0.5 text-xs font-medium ${STATUS_STYLE[token.status]}`}>
                    {token.status}
                  </span>
                  {token.revokedAt && (
                    <div className="mt-1 text-xs text-zinc-500">
                      {formatDateTime(parseDbTime(token.revokedAt))}
                    </div>
                  )}
                </td>
                <td className={`${CELL} hidden lg:table-cell`}>
                  <When value={token.createdAt} now={now} />
                  <span className="block text-xs text-zinc-500">by {token.createdByName ?? 'the CLI'}</span>
                </td>
                <td className={`${CELL} hidden sm:table-cell`}>
                  <When value={token.lastUsedAt} now={now} never="never" />
                </td>
                <td className={`${CELL} hidden md:table-cell`}>
                  <When value={token.expiresAt} now={now} never="never" />
                </td>
                <td className={`${CELL} text-right`}>
                  {token.status !== 'revoked' && (
                    <ConfirmAction
                      label="Revoke"
                      question={`Revoke “${token.name}”? Agents using it get 401 at once; this cannot be undone.`}
                      confirmLabel="Revoke token"
                      pending={revoke.pending}
                      onSubmit={revoke.onSubmit}
                      hidden={{ id: String(token.id) }}
                    />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <FormStatus result={result} reserveSpace={false} />
    </div>
  );
}
