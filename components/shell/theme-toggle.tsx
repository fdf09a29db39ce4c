'use client';

import { useState } from 'react';
import { THEMES, THEME_COOKIE, type Theme } from './theme';

const LABEL: Record<Theme, string> = { system: 'System theme', light: 'Light theme', dark: 'Dark theme' };
const ICON: Record<Theme, string> = { system: '◐', light: '☀', dark: '☾' };

/** Cycles system → light → dark; the choice lives in a cookie so the server renders the right class. */
export function ThemeToggle({ initial }: { initial: Theme }) {
  const [theme, setTheme] = useState<Theme>(initial);
  function next() {
    const value = THEMES[(THEMES.indexOf(theme) + 1) % THEMES.length]!;
    document.cookie = `${THEME_COOKIE}=${value}; path=/; max-age=31536000; samesite=lax`;
    document.documentElement.classList.remove(...THEMES);
    document.documentElement.classList.add(value);
    setTheme(value);
  }
  return (
    <button
      type="button"
      onClick={next}
      className="inline-flex h-8 items-center gap-1.5 rounded-md border border-zinc-200 px-2 text-xs text-zinc-600 hover:bg-zinc-100 dark:border-zinc-800 dark:text-zinc-300 dark:hover:bg-zinc-900"
      aria-label={`${LABEL[theme]} (click to change)`}
      title={LABEL[theme]}
    >
      <span aria-hidden>{ICON[theme]}</span>
      <span className="hidden sm:inline">{theme}</span>
    </button>
  );
}
