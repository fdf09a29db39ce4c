// Counters and a timing hook the drivers feed, for the health page (lib/operations). Additive: with
// no observer registered the cost per statement is one performance.now() pair and a counter bump.

export type StatementKind = 'read' | 'write' | 'begin';

export interface DriverCounters {
  /** Statements executed through a driver in this process. */
  statements: number;
  /** SQLite: BEGIN IMMEDIATE calls that had to wait for another writer (took ≥ LOCK_WAIT_MS). */
  lockWaits: number;
  /** Total ms spent waiting in those BEGIN IMMEDIATE calls. */
  lockWaitMs: number;
  /** SQLITE_BUSY/LOCKED surfaced after the whole busy timeout (DatabaseBusyError). */
  busyErrors: number;
  /** When the last busy error happened (ISO), or null. */
  lastBusyAt: string | null;
}

/** A BEGIN IMMEDIATE that takes this long waited in SQLite's busy handler (it is microseconds otherwise). */
export const LOCK_WAIT_MS = 5;

export type QueryObserver = (sqlText: string, durationMs: number, kind: StatementKind) => void;

interface ObserveState {
  counters: DriverCounters;
  observer: QueryObserver | null;
}

// Kept on globalThis: Next bundles server code into several chunks, and they must share one set.
const globalForObserve = globalThis as typeof globalThis & { __foundupsDriverObserve?: ObserveState };
const state: ObserveState = (globalForObserve.__foundupsDriverObserve ??= {
  counters: { statements: 0, lockWaits: 0, lockWaitMs: 0, busyErrors: 0, lastBusyAt: null },
  observer: null,
});

export function driverCounters(): Readonly<DriverCounters> {
  return { ...state.counters };
}

/** Tests: start counting from zero. */
export function resetDriverCounters(): void {
  Object.assign(state.counters, {
    statements: 0,
    lockWaits: 0,
    lockWaitMs: 0,
    busyErrors: 0,
    lastBusyAt: null,
  });
}

/** One observer per process (the health metrics); null removes it. */
export function setQueryObserver(observer: QueryObserver | null): void {
  state.observer = observer;
}

export function recordStatement(sqlText: string, durationMs: number, kind: StatementKind): void {
  state.counters.statements += 1;
  if (kind === 'begin' && durationMs >= LOCK_WAIT_MS) {
    state.counters.lockWaits += 1;
    state.counters.lockWaitMs += durationMs;
  }
  const observer = state.observer;
  if (observer) {
    try {
      observer(sqlText, durationMs, kind);
    } catch {
      // Metrics must never break a query.
    }
  }
}

export function recordBusyError(): void {
  state.counters.busyErrors += 1;
  state.counters.lastBusyAt = new Date().toISOString();
}
