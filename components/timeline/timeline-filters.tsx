'use client';

import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { useEffect, useId, useRef, useState } from 'react';
import { useUrlReplace } from '@/components/data-table/use-url-replace';
import {
  DEFAULT_PRESET,
  PARAM,
  PRESETS,
  SEVERITY_OPTIONS,
  toMinuteInput,
  withoutPosition,
} from './timeline-params';

const SEARCH_DEBOUNCE_MS = 300;
const CONTROL =
  'h-9 w-full rounded-md border border-zinc-300 bg-white px-2 text-sm dark:border-zinc-700 dark:bg-zinc-900';
const LABEL = 'block text-xs font-medium text-zinc-600 dark:text-zinc-400';

/**
 * Range presets, a custom from/to (UTC), menus for source, actor, module, type and severity, and a
 * debounced free-text search. Every change goes to the URL (router.replace) and starts at the newest
 * events again.
 */
export function TimelineFilters({
  sources,
  actors,
  types,
  modules,
  range,
}: {
  sources: { id: string; label: string }[];
  actors: string[];
  types: string[];
  modules: string[];
  /** The resolved range shown in the custom inputs. */
  range: { from: string; to: string };
}) {
  const searchParams = useSearchParams();
  const { replace, pending } = useUrlReplace();
  const id = useId();
  const preset = searchParams.has(PARAM.from) ? null : (searchParams.get(PARAM.range) ?? DEFAULT_PRESET);

  const update = (change: (params: URLSearchParams) => void) => {
    const next = withoutPosition(searchParams);
    change(next);
    replace(next);
  };
  const setSingle = (name: string, value: string | undefined) =>
    update((params) => {
      params.delete(name);
      if (value) params.set(name, value);
    });

  const urlQ = searchParams.get(PARAM.q) ?? '';
  const [text, setText] = useState(urlQ);
  const [seenUrlQ, setSeenUrlQ] = useState(urlQ);
  const [sentQ, setSentQ] = useState(urlQ);
  if (urlQ !== seenUrlQ) {
    setSeenUrlQ(urlQ);
    // The URL changed under us (back/forward, brush zoom keeps q): show its text unless it is our own.
    if (urlQ !== sentQ) {
      setSentQ(urlQ);
      setText(urlQ);
    }
  }
  const latest = useRef({ searchParams, replace });
  useEffect(() => {
    latest.current = { searchParams, replace };
  });
  useEffect(() => {
    const trimmed = text.trim();
    if (trimmed === (latest.current.searchParams.get(PARAM.q) ?? '')) return;
    const timer = window.setTimeout(() => {
      const next = withoutPosition(latest.current.searchParams);
      if (trimmed) next.set(PARAM.q, trimmed);
      else next.delete(PARAM.q);
      setSentQ(trimmed);
      latest.current.replace(next);
    }, SEARCH_DEBOUNCE_MS);
    return () => window.clearTimeout(timer);
  }, [text]);

  const [customFrom, setCustomFrom] = useState(toMinuteInput(range.from));
  const [customTo, setCustomTo] = useState(toMinuteInput(range.to));
  const [seenRange, setSeenRange] = useState(range);
  if (seenRange.from !== range.from || seenRange.to !== range.to) {
    setSeenRange(range);
    setCustomFrom(toMinuteInput(range.from));
    setCustomTo(toMinuteInput(range.to));
  }
  const customValid =
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(customFrom) &&
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(customTo) &&
    customFrom < customTo;

  const hasFilters = [PARAM.source, PARAM.actor, PARAM.module, PARAM.type, PARAM.severity, PARAM.q].some(
    (name) => searchParams.has(name),
  );

  return (
    <div
      aria-busy={pending}
      className="space-y-3 rounded-xl border border-zinc-200 bg-white p-3 shadow-sm dark:border-zinc-800 dark:bg-zinc-900"
    >
      <div className="flex flex-wrap items-end gap-3">
        <div role="group" aria-label="Time range" className="flex flex-wrap gap-1">
          {PRESETS.map((value) => (
            <button
              key={value}
              type="button"
              aria-pressed={preset === value}
              className={`h-9 rounded-md border px-3 text-sm ${
                preset === value
                  ? 'border-zinc-900 bg-zinc-900 text-white dark:border-zinc-100 dark:bg-zinc-100 dark:text-zinc-900'
                  : 'border-zinc-300 hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800'
              }`}
              onClick={() =>
                update((params) => {
                  params.delete(PARAM.from);
                  params.delete(PARAM.to);
                  if (value === DEFAULT_PRESET) params.delete(PARAM.range);
                  else params.set(PARAM.range, value);
                })
              }
            >
              {value}
            </button>
          ))}
        </div>
        <form
          className="flex flex-wrap items-end gap-2"
          onSubmit={(event) => {
            event.preventDefault();
            if (!customValid) return;
            update((params) => {
              params.delete(PARAM.range);
              params.set(PARAM.from, `${customFrom}:00Z`);
              params.set(PARAM.to, `${customTo}:00Z`);
            });
          }}
        >
          <div className="space-y-1">
            <label htmlFor={`${id}-from`} className={LABEL}>
              From (UTC)
            </label>
            <input
              id={`${id}-from`}
              type="datetime-local"
              className={CONTROL}
              value={customFrom}
              onChange={(event) => setCustomFrom(event.target.value)}
            />
          </div>
          <div className="space-y-1">
            <label htmlFor={`${id}-to`} className={LABEL}>
              To (UTC)
            </label>
            <input
              id={`${id}-to`}
              type="datetime-local"
              className={CONTROL}
              value={customTo}
              onChange={(event) => setCustomTo(event.target.value)}
            />
          </div>
          <button
            type="submit"
            disabled={!customValid}
            className="h-9 rounded-md border border-zinc-300 px-3 text-sm hover:bg-zinc-100 disabled:opacity-50 dark:border-zinc-700 dark:hover:bg-zinc-800"
          >
            Apply range
          </button>
          {!customValid && (
            <span className="pb-2 text-xs text-red-600">The end must be after the start.</span>
          )}
        </form>
        {pending && (
          <span role="status" className="pb-2 text-xs text-zinc-500">
            Loading…
          </span>
        )}
      </div>
      <div className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6">
        <div className="col-span-2 min-w-0 space-y-1 sm:col-span-3 lg:col-span-1">
          <label htmlFor={`${id}-q`} className={LABEL}>
            Search summaries
          </label>
          <input
            id={`${id}-q`}
            type="search"
            className={CONTROL}
            value={text}
            maxLength={200}
            placeholder="e.g. timeout"
            onChange={(event) => setText(event.target.value)}
          />
        </div>
        <Select
          label="Source"
          value={searchParams.get(PARAM.source) ?? undefined}
          options={sources.map((source) => ({ value: source.id, label: source.label }))}
          onChange={(value) => setSingle(PARAM.source, value)}
        />
        <Select
          label="Actor"
          value={searchParams.get(PARAM.actor) ?? undefined}
          options={actors.map((value) => ({ value, label: value }))}
          onChange={(value) => setSingle(PARAM.actor, value)}
        />
        <Select
          label="Module"
          value={searchParams.get(PARAM.module) ?? undefined}
          options={modules.map((value) => ({ value, label: value }))}
          onChange={(value) => setSingle(PARAM.module, value)}
        />
        <Select
          label="Type"
          value={searchParams.get(PARAM.type) ?? undefined}
          options={types.map((value) => ({ value, label: value }))}
          onChange={(value) => setSingle(PARAM.type, value)}
        />
        <Select
          label="Severity"
          value={searchParams.get(PARAM.severity) ?? undefined}
          options={SEVERITY_OPTIONS.map((value) => ({ value, label: value }))}
          onChange={(value) => setSingle(PARAM.severity, value)}
        />
      </div>
      {searchParams.get(PARAM.actor) && (
        <Link
          href={`/timeline/agent/${encodeURIComponent(searchParams.get(PARAM.actor)!)}?${withoutPosition(searchParams).toString()}`}
          className="mr-4 text-xs text-sky-700 underline dark:text-sky-400"
        >
          Everything {searchParams.get(PARAM.actor)} did →
        </Link>
      )}
      {hasFilters && (
        <button
          type="button"
          className="text-xs text-sky-700 underline dark:text-sky-400"
          onClick={() => {
            setText('');
            setSentQ('');
            update((params) => {
              for (const name of [
                PARAM.source,
                PARAM.actor,
                PARAM.module,
                PARAM.type,
                PARAM.severity,
                PARAM.q,
              ])
                params.delete(name);
            });
          }}
        >
          Clear filters (keep the range)
        </button>
      )}
    </div>
  );
}

function Select({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: string | undefined;
  options: { value: string; label: string }[];
  onChange: (value: string | undefined) => void;
}) {
  const id = useId();
  // A value from the URL that is not among the known ones (yet) is still shown and selectable.
  const all =
    value && !options.some((option) => option.value === value)
      ? [{ value, label: value }, ...options]
      : options;
  return (
    <div className="min-w-0 space-y-1">
      <label htmlFor={id} className={LABEL}>
        {label}
      </label>
      <select
        id={id}
        className={CONTROL}
        value={value ?? ''}
        onChange={(event) => onChange(event.target.value || undefined)}
      >
        <option value="">Any</option>
        {all.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}
