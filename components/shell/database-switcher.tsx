'use client';

import { useState, useTransition } from 'react';
import { switchDatabase } from '@/lib/databases/actions';
import { TONE_STYLES, type DatabaseOption } from './database-tone';

/** "prod — production", but just "staging" when the tone would only repeat the name. */
function optionLabel(option: DatabaseOption): string {
  const tone = TONE_STYLES[option.tone].label.toLowerCase();
  return option.tone === 'neutral' || tone === option.name ? option.name : `${option.name} — ${tone}`;
}

/**
 * The header's database picker. Switching reloads the whole page, so nothing rendered for the old
 * database (tables, forms, cached router segments) survives into the new one.
 */
export function DatabaseSwitcher({
  current,
  options,
}: {
  current: string;
  options: readonly DatabaseOption[];
}) {
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const active = options.find((option) => option.name === current);
  const style = TONE_STYLES[active?.tone ?? 'neutral'];

  function choose(name: string) {
    if (name === current) return;
    setError(null);
    startTransition(async () => {
      const result = await switchDatabase(name);
      if (!result.ok) {
        setError(result.error);
        return;
      }
      window.location.reload();
    });
  }

  return (
    <div className="flex items-center gap-2">
      <label htmlFor="database-switcher" className="text-xs text-zinc-500">
        Database
      </label>
      <select
        id="database-switcher"
        value={current}
        disabled={pending}
        onChange={(event) => choose(event.target.value)}
        aria-describedby={error ? 'database-switcher-error' : undefined}
        className={`h-8 rounded-md border px-2 text-sm font-semibold disabled:opacity-60 ${style.chip}`}
      >
        {options.map((option) => (
          <option key={option.name} value={option.name} className="bg-white font-normal text-zinc-900">
            {optionLabel(option)}
          </option>
        ))}
      </select>
      {pending && <span className="text-xs text-zinc-500">Switching…</span>}
      <p id="database-switcher-error" role="alert" aria-live="polite" className="text-xs text-red-600">
        {error}
      </p>
    </div>
  );
}
