import type { OwnSession } from '@/lib/settings/queries';
import { describeUserAgent } from '@/lib/settings/user-agent';
import { formatAge, formatDateTime, parseDbTime } from '@/lib/time/format';
import { SignOutOthersButton } from './sign-out-others-button';

const CELL = 'px-2 py-2 sm:px-3';

/** The operator's live sessions, this one marked, with "sign out other sessions". */
export function SessionsList({ sessions, now }: { sessions: OwnSession[]; now: Date }) {
  const others = sessions.filter((session) => !session.current).length;
  return (
    <div className="space-y-4">
      <div className="relative overflow-x-auto rounded-lg border border-zinc-200 dark:border-zinc-800">
        <table className="w-full border-collapse text-left text-sm">
          <caption className="sr-only">Your active sessions</caption>
          <thead className="bg-zinc-50 text-xs uppercase tracking-wide text-zinc-500 dark:bg-zinc-950/40">
            <tr>
              <th scope="col" className={`${CELL} font-medium`}>
                Device
              </th>
              <th scope="col" className={`${CELL} font-medium`}>
                Address
              </th>
              <th scope="col" className={`${CELL} hidden font-medium sm:table-cell`}>
                Signed in
              </th>
              <th scope="col" className={`${CELL} font-medium`}>
                Last seen
              </th>
            </tr>
          </thead>
          <tbody>
            {sessions.map((session) => {
              const lastSeen = parseDbTime(session.lastSeenAt);
              return (
                <tr
                  key={session.key}
                  className="border-t border-zinc-100 dark:border-zinc-800"
                  data-current-session={session.current || undefined}
                >
                  <td className={CELL}>
                    <span title={session.userAgent ?? undefined}>{describeUserAgent(session.userAgent)}</span>
                    {session.current && (
                      <span className="ml-2 rounded bg-emerald-100 px-1.5 py-0.5 text-xs font-medium text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300">
                        this session
                      </span>
                    )}
                  </td>
                  <td className={`${CELL} font-mono text-xs`}>{session.ip ?? '—'}</td>
                  <td className={`${CELL} hidden whitespace-nowrap sm:table-cell`}>
                    {formatDateTime(parseDbTime(session.createdAt))}
                  </td>
                  <td className={`${CELL} whitespace-nowrap`} title={formatDateTime(lastSeen)}>
                    {session.current ? 'now' : lastSeen ? `${formatAge(lastSeen, now)} ago` : '—'}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p className="text-xs text-zinc-500">
        {others === 0
          ? 'You are signed in only here.'
          : `You have ${others === 1 ? 'one other session' : `${others} other sessions`} besides this one.`}
      </p>
      <SignOutOthersButton otherSessions={others} />
    </div>
  );
}
