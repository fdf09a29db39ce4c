import { AsyncLocalStorage } from 'node:async_hooks';
import { workAsyncStorage } from 'next/dist/server/app-render/work-async-storage.external';
import { workUnitAsyncStorage } from 'next/dist/server/app-render/work-unit-async-storage.external';
import { type StatementKind, setQueryObserver } from '@/db/drivers/observe';

// The console's own query latency, measured in-process. Every statement the drivers run reports its
// duration (db/drivers/observe.ts); it is filed under the route that ran it:
//
// - pages, layouts, server actions and route handlers all run inside Next's work store, whose `route`
//   is the route pattern ('/timeline/[source]/[id]', '/api/v1/posts'); a server action is filed as
//   '<page route> (action)' from the work unit's phase. So one mechanism covers all three.
// - outside Next's stores, the request context the HTTP hook sets (request-log.ts) gives the path;
//   anything else (CLI, start-up work) is '(background)'.
//
// Per route: a ring of the last samples (time, ms), read back as p50/p95/p99 over the last hour.
// Plus the slowest statements of the last hour, with their SQL normalized (literals replaced by ?).

export const WINDOW_MS = 60 * 60 * 1000;
/** Samples kept per route; at the console's rates this covers well over an hour. */
export const SAMPLES_PER_ROUTE = 20_000;
export const SLOW_QUERY_KEEP = 50;
/** Statements faster than this are never "slow" (keeps the slow list meaningful on an idle console). */
export const SLOW_QUERY_FLOOR_MS = 5;

interface Ring {
  at: Float64Array;
  ms: Float32Array;
  next: number;
  size: number;
}

export interface SlowQuery {
  sql: string;
  ms: number;
  route: string;
  at: number;
}

/** The per-request context the HTTP hook creates (request-log.ts); mutated as the request runs. */
export interface RequestContext {
  method: string;
  path: string;
  route?: string;
  queryMs: number;
  queries: number;
}

interface MetricsState {
  rings: Map<string, Ring>;
  slow: SlowQuery[];
  requests: AsyncLocalStorage<RequestContext>;
}

const globalForMetrics = globalThis as typeof globalThis & { __foundupsMetrics?: MetricsState };
const state: MetricsState = (globalForMetrics.__foundupsMetrics ??= {
  rings: new Map(),
  slow: [],
  requests: new AsyncLocalStorage<RequestContext>(),
});

export function requestContextStorage(): AsyncLocalStorage<RequestContext> {
  return state.requests;
}

/** '/(console)/review/[postId]' → '/review/[postId]': route groups are not part of the URL. */
export function normalizeRoute(route: string): string {
  const cleaned = route
    .split('/')
    .filter((segment) => segment && !/^\(.*\)$/.test(segment) && !segment.startsWith('@'))
    .join('/');
  return `/${cleaned}`;
}

/** The route pattern the current code runs for, or null outside any request. */
export function currentRoute(): string | null {
  const work = workAsyncStorage.getStore();
  if (work?.route) {
    const unit = workUnitAsyncStorage.getStore() as { type?: string; phase?: string } | undefined;
    const route = normalizeRoute(work.route);
    // Route handlers run in the 'action' phase too; only a page's POST is a server action.
    const isServerAction =
      unit?.type === 'request' && unit.phase === 'action' && !work.page?.endsWith('/route');
    return isServerAction ? `${route} (action)` : route;
  }
  const context = state.requests.getStore();
  return context ? (context.route ?? context.path) : null;
}

/** Replaces string and number literals by ?, folds IN lists and whitespace: one text per query shape. */
export function normalizeSql(text: string): string {
  return text
    .replace(/'(?:[^']|'')*'/g, '?')
    .replace(/\$\d+/g, '?')
    .replace(/\b\d+(\.\d+)?\b/g, '?')
    .replace(/\(\s*\?(\s*,\s*\?)+\s*\)/g, '(?, …)')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 500);
}

export type SampleKind = 'query' | 'request';
/** Distinct routes kept (route patterns are few; paths of requests that ran no query could be many). */
export const MAX_ROUTES = 500;

export function recordSample(route: string, ms: number, at = Date.now(), kind: SampleKind = 'query'): void {
  const key = `${kind} ${route}`;
  let ring = state.rings.get(key);
  if (!ring) {
    if (state.rings.size >= MAX_ROUTES) return;
    ring = {
      at: new Float64Array(SAMPLES_PER_ROUTE),
      ms: new Float32Array(SAMPLES_PER_ROUTE),
      next: 0,
      size: 0,
    };
    state.rings.set(key, ring);
  }
  ring.at[ring.next] = at;
  ring.ms[ring.next] = ms;
  ring.next = (ring.next + 1) % SAMPLES_PER_ROUTE;
  ring.size = Math.min(SAMPLES_PER_ROUTE, ring.size + 1);
}

function recordSlow(entry: SlowQuery): void {
  const slow = state.slow;
  if (entry.ms < SLOW_QUERY_FLOOR_MS) return;
  if (slow.length >= SLOW_QUERY_KEEP && entry.ms <= slow.at(-1)!.ms && entry.at - slow.at(-1)!.at < WINDOW_MS)
    return;
  slow.push(entry);
  const cutoff = entry.at - WINDOW_MS;
  state.slow = slow
    .filter((item) => item.at >= cutoff)
    .sort((a, b) => b.ms - a.ms)
    .slice(0, SLOW_QUERY_KEEP);
}

function observe(sqlText: string, ms: number, _kind: StatementKind): void {
  const route = currentRoute() ?? '(background)';
  const context = state.requests.getStore();
  if (context) {
    context.queryMs += ms;
    context.queries += 1;
    if (route !== '(background)' && !context.route && workAsyncStorage.getStore()) context.route = route;
  }
  const at = Date.now();
  recordSample(route, ms, at);
  recordSlow({ sql: normalizeSql(sqlText), ms, route, at });
}

/** Starts measuring (idempotent). Called by whatever reads the metrics and at server start. */
export function installQueryMetrics(): void {
  setQueryObserver(observe);
}

export interface RouteLatency {
  kind: SampleKind;
  route: string;
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

function percentile(sorted: Float32Array | number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

/**
 * p50/p95/p99 over the last hour, busiest first: of each route's statements ('query'), or of whole
 * requests as the HTTP hook timed them ('request').
 */
export function routeLatencies(kind: SampleKind = 'query', now = Date.now()): RouteLatency[] {
  const cutoff = now - WINDOW_MS;
  const out: RouteLatency[] = [];
  for (const [key, ring] of state.rings) {
    if (!key.startsWith(`${kind} `)) continue;
    const route = key.slice(kind.length + 1);
    const values: number[] = [];
    for (let i = 0; i < ring.size; i += 1) if (ring.at[i]! >= cutoff) values.push(ring.ms[i]!);
    if (values.length === 0) continue;
    const sorted = Float32Array.from(values).sort();
    const round = (value: number) => Math.round(value * 100) / 100;
    out.push({
      kind,
      route,
      count: values.length,
      p50: round(percentile(sorted, 50)),
      p95: round(percentile(sorted, 95)),
      p99: round(percentile(sorted, 99)),
      max: round(sorted[sorted.length - 1]!),
    });
  }
  return out.sort((a, b) => b.count - a.count);
}

export function slowQueries(limit = 10, now = Date.now()): SlowQuery[] {
  return state.slow.filter((item) => item.at >= now - WINDOW_MS).slice(0, limit);
}

/** Tests: forget everything measured so far. */
export function resetMetrics(): void {
  state.rings.clear();
  state.slow = [];
}
