'use client';

import { useRef, useState } from 'react';
import { Button } from '@/components/ui/button';

/**
 * A freshly created token's secret, shown this one time: the server keeps only its hash, so once this
 * box is closed (or the page left) nobody can show it again.
 */
export function TokenSecret({ name, secret, onDone }: { name: string; secret: string; onDone: () => void }) {
  const input = useRef<HTMLInputElement>(null);
  const [copyState, setCopyState] = useState<'idle' | 'copied' | 'failed'>('idle');

  async function copy() {
    try {
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(secret);
      setCopyState('copied');
    } catch {
      // No clipboard access (an insecure origin, a denied permission): select it for a manual copy.
      input.current?.select();
      setCopyState('failed');
    }
  }

  return (
    <section
      aria-labelledby="token-secret-title"
      className="rounded-lg border border-amber-300 bg-amber-50 p-4 dark:border-amber-700 dark:bg-amber-950/40"
      data-testid="token-secret"
    >
      <h3 id="token-secret-title" className="text-sm font-semibold text-amber-900 dark:text-amber-200">
        Copy the token “{name}” now — you won’t see it again
      </h3>
      <p className="mt-2 text-xs text-amber-900 dark:text-amber-200">
        The console stores only a hash of it. Put it in the agent’s configuration (sent as{' '}
        <code>Authorization: Bearer …</code>). If it is lost, revoke it and create a new one.
      </p>
      <div className="mt-3 flex flex-col gap-2 sm:flex-row">
        <label htmlFor="new-token-secret" className="sr-only">
          New API token secret
        </label>
        <input
          ref={input}
          id="new-token-secret"
          readOnly
          value={secret}
          onFocus={(event) => event.currentTarget.select()}
          spellCheck={false}
          className="min-w-0 flex-1 rounded-md border border-amber-300 bg-white px-3 py-2 font-mono text-sm dark:border-amber-800 dark:bg-zinc-900"
        />
        <div className="flex gap-2">
          <Button type="button" onClick={copy}>
            Copy
          </Button>
          <Button type="button" variant="secondary" onClick={onDone}>
            Done
          </Button>
        </div>
      </div>
      <p
        role="status"
        aria-live="polite"
        className="mt-2 text-xs text-amber-900 empty:mt-0 dark:text-amber-200"
      >
        {copyState === 'copied'
          ? 'Copied to the clipboard.'
          : copyState === 'failed'
            ? 'The browser refused to copy: the token is selected, copy it with Ctrl+C (⌘C).'
            : ''}
      </p>
    </section>
  );
}
