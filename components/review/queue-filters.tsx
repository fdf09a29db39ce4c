'use client';

import { useEffect, useId, useRef, useState } from 'react';
import type { QueueFilterOptions } from '@/lib/review/queries';
import {
  DEFAULT_QUEUE_QUERY,
  type QueueFilters,
  type QueueQuery,
  type QueueSort,
} from '@/lib/review/validations';

const SEARCH_DEBOUNCE_MS = 300;

const SORTS: { value: string; label: string; sort: QueueSort }[] = [
  { value: 'created_at.desc', label: 'Newest first', sort: { field: 'created_at', dir: 'desc' } },
  { value: 'created_at.asc', label: 'Oldest first', sort: { field: 'created_at', dir: 'asc' } },
  { value: 'platform.asc', label: 'Platform A–Z', sort: { field: 'platform', dir: 'asc' } },
  { value: 'platform.desc', label: 'Platform Z–A', sort: { field: 'platform', dir: 'desc' } },
  { value: 'identity.asc', label: 'Identity A–Z', sort: { field: 'identity', dir: 'asc' } },
  { value: 'identity.desc', label: 'Identity Z–A', sort: { field: 'identity', dir: 'desc' } },
];

const CONTROL =
  'h-9 w-full rounded-md border border-zinc-300 bg-white px-2 text-sm dark:border-zinc-700 dark:bg-zinc-900';

type TextFilter = 'platform' | 'identity' | 'tone' | 'postType';

export function hasActiveFilters(filters: QueueFilters): boolean {
  return Boolean(
    filters.platform ||
    filters.identity ||
    filters.tone ||
    filters.postType ||
    filters.createdFrom ||
    filters.createdTo ||
    filters.q,
  );
}

function SelectFilter({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: string | undefined;
  options: string[];
  onChange: (value: string | undefined) => void;
}) {
  const id = useId();
  // A value from the URL that is not among the known ones (yet) is still shown and selectable.
  const all = value && !options.includes(value) ? [value, ...options] : options;
  return (
    <div className="min-w-0 space-y-1">
      <label htmlFor={id} className="block text-xs font-medium text-zinc-600 dark:text-zinc-400">
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
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
    </div>
  );
}

/**
 * Search (debounced), menus for platform / identity / tone / post type, a date range and the sort.
 * Every change resets to page 1 and goes to the URL through `onChange` (router.replace).
 */
export function QueueFiltersBar({
  query,
  options,
  onChange,
  searchRef,
}: {
  query: QueueQuery;
  options: QueueFilterOptions;
  onChange: (next: QueueQuery) => void;
  searchRef?: React.Ref<HTMLInputElement>;
}) {
  const { filters } = query;
  const searchId = useId();
  const [expanded, setExpanded] = useState(false);
  const urlQ = filters.q ?? '';
  const [text, setText] = useState(urlQ);
  const [seenUrlQ, setSeenUrlQ] = useState(urlQ);
  const [sentQ, setSentQ] = useState(urlQ);
  if (urlQ !== seenUrlQ) {
    setSeenUrlQ(urlQ);
    // The URL changed under us (clear filters, back/forward): show its text. When it is only our own
    // debounced search arriving, keep what the operator typed meanwhile.
    if (urlQ !== sentQ) {
      setSentQ(urlQ);
      setText(urlQ);
    }
  }

  const latest = useRef({ query, onChange });
  useEffect(() => {
    latest.current = { query, onChange };
  });
  useEffect(() => {
    const trimmed = text.trim();
    if (trimmed === (latest.current.query.filters.q ?? '')) return;
    const timer = window.setTimeout(() => {
      const { query: current, onChange: change } = latest.current;
      setSentQ(trimmed);
      change({ ...current, filters: { ...current.filters, q: trimmed || undefined }, page: 1 });
    }, SEARCH_DEBOUNCE_MS);
    return () => window.clearTimeout(timer);
  }, [text]);

  const set = (patch: Partial<QueueFilters>) =>
    onChange({ ...query, filters: { ...filters, ...patch }, page: 1 });
  const setFilter = (key: TextFilter) => (value: string | undefined) => set({ [key]: value });
  const sortValue = `${query.sort.field}.${query.sort.dir}`;

  const activeCount = [
    filters.platform,
    filters.identity,
    filters.tone,
    filters.postType,
    filters.createdFrom,
    filters.createdTo,
  ].filter(Boolean).length;
  return (
    <div className="space-y-3 rounded-xl border border-zinc-200 bg-white p-3 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
      <div className="flex flex-wrap items-end gap-3">
        <div className="min-w-0 flex-[1_1_16rem] space-y-1">
          <label htmlFor={searchId} className="block text-xs font-medium text-zinc-600 dark:text-zinc-400">
            Search text, target or author
          </label>
          <input
            ref={searchRef}
            id={searchId}
            type="search"
            className={CONTROL}
            placeholder="e.g. VC model"
            value={text}
            maxLength={200}
            onChange={(event) => setText(event.target.value)}
          />
        </div>
        <div className="min-w-0 flex-[0_1_11rem] space-y-1">
          <label
            htmlFor={`${searchId}-sort`}
            className="block text-xs font-medium text-zinc-600 dark:text-zinc-400"
          >
            Sort
          </label>
          <select
            id={`${searchId}-sort`}
            className={CONTROL}
            value={sortValue}
            onChange={(event) => {
              const choice = SORTS.find((entry) => entry.value === event.target.value);
              onChange({ ...query, sort: choice?.sort ?? DEFAULT_QUEUE_QUERY.sort, page: 1 });
            }}
          >
            {SORTS.map((entry) => (
              <option key={entry.value} value={entry.value}>
                {entry.label}
              </option>
            ))}
          </select>
        </div>
        <button
          type="button"
          className="h-9 rounded-md border border-zinc-300 px-3 text-sm md:hidden dark:border-zinc-700"
          aria-expanded={expanded}
          aria-controls={`${searchId}-more`}
          onClick={() => setExpanded((value) => !value)}
        >
          Filters{activeCount ? ` (${activeCount})` : ''}
        </button>
      </div>
      {/* On phones the menus fold away behind the Filters button; from md up they are always shown. */}
      <div
        id={`${searchId}-more`}
        className={`${expanded ? 'grid' : 'hidden'} grid-cols-2 gap-3 sm:grid-cols-3 md:grid lg:grid-cols-6`}
      >
        <SelectFilter
          label="Platform"
          value={filters.platform}
          options={options.platforms}
          onChange={setFilter('platform')}
        />
        <SelectFilter
          label="Identity"
          value={filters.identity}
          options={options.identities}
          onChange={setFilter('identity')}
        />
        <SelectFilter
          label="Tone"
          value={filters.tone}
          options={options.tones}
          onChange={setFilter('tone')}
        />
        <SelectFilter
          label="Post type"
          value={filters.postType}
          options={options.postTypes}
          onChange={setFilter('postType')}
        />
        <DateFilter
          label="Created from"
          value={filters.createdFrom}
          max={filters.createdTo}
          onChange={(value) => set({ createdFrom: value })}
        />
        <DateFilter
          label="Created to"
          value={filters.createdTo}
          min={filters.createdFrom}
          onChange={(value) => set({ createdTo: value })}
        />
      </div>
    </div>
  );
}

function DateFilter({
  label,
  value,
  min,
  max,
  onChange,
}: {
  label: string;
  value: string | undefined;
  min?: string;
  max?: string;
  onChange: (value: string | undefined) => void;
}) {
  const id = useId();
  return (
    <div className="min-w-0 space-y-1">
      <label htmlFor={id} className="block text-xs font-medium text-zinc-600 dark:text-zinc-400">
        {label} <span className="font-normal text-zinc-400">(UTC)</span>
      </label>
      <input
        id={id}
        type="date"
        className={CONTROL}
        value={value ?? ''}
        min={min}
        max={max}
        onChange={(event) => {
          const day = event.target.value;
          if (day === '' || /^\d{4}-\d{2}-\d{2}$/.test(day)) onChange(day || undefined);
        }}
      />
    </div>
  );
}
