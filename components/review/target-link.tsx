import { safeHttpUrl } from './safe-url';

/**
 * A target URL written by an agent: always shown as text; an http(s) URL also gets an explicit link
 * that opens in a new tab without a referrer or an opener, and is never followed by itself. Anything
 * else (javascript:, data:, junk) stays inert text with a warning.
 */
export function TargetLink({ url }: { url: string | null }) {
  if (!url) return <span className="text-zinc-400">—</span>;
  const safe = safeHttpUrl(url);
  return (
    <div className="space-y-1">
      <p className="font-mono text-xs break-all text-zinc-700 dark:text-zinc-300" data-testid="target-url">
        {url}
      </p>
      {safe ? (
        <a
          href={safe.href}
          target="_blank"
          rel="noopener noreferrer nofollow"
          referrerPolicy="no-referrer"
          className="inline-flex items-center gap-1 text-xs text-sky-700 underline dark:text-sky-400"
        >
          Open on {safe.host} <span aria-hidden>↗</span>
          <span className="sr-only">(new tab)</span>
        </a>
      ) : (
        <p className="text-xs text-amber-700 dark:text-amber-400" data-testid="inert-url">
          Not an http(s) link: shown as text only and never opened.
        </p>
      )}
    </div>
  );
}
