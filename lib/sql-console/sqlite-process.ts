import { type ChildProcess, fork } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Runs SQLite reads in worker processes (lib/sql-console/sqlite-worker.mjs) so that no query the
 * operator shapes — a console statement, a sorted table page, an exact count, an export, a satellite
 * scan — can hold the server's event loop: better-sqlite3 is synchronous and a running SQLite
 * statement cannot be interrupted from outside, so a request that overruns its time limit gets its
 * process killed (SIGKILL) and the next request gets a fresh one.
 *
 * Short interactive requests share a small pool of warm processes; long or streaming work
 * (`dedicated: true`) gets a process of its own, so an hour-long count never queues a table page.
 */

export type SqliteTarget =
  /** The console's own database file: a plain read-only connection. */
  | { kind: 'main'; file: string }
  /** Someone else's file: opened immutable or as a WAL reader, never creating -wal/-shm (see the worker). */
  | { kind: 'satellite'; file: string };

export interface StatementRequest {
  sql: string;
  params?: readonly unknown[];
  /** Stop after this many rows (the result says `truncated`). */
  maxRows?: number;
  /** SQL console rules: one read statement (SELECT/WITH/EXPLAIN/VALUES) that SQLite calls read-only. */
  console?: boolean;
  /** Longest text value returned as is; longer ones come back as { $text, length }. */
  textLimit?: number;
}

export interface ResultColumn {
  name: string;
  /** Declared type of the source column (null for expressions). */
  type: string | null;
}

export interface StatementResult {
  columns: ResultColumn[];
  rows: unknown[][];
  truncated: boolean;
  ms: number;
}

/** A failure reported by SQLite or by the worker's own checks (code: SQLite's or e.g. NOT_READ_ONLY). */
export class SqliteWorkerError extends Error {
  override name = 'SqliteWorkerError';
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

/** The request ran past its time limit; its process was killed. */
export class SqliteTimeoutError extends Error {
  override name = 'SqliteTimeoutError';
  constructor(readonly timeoutMs: number) {
    super(
      `Stopped after ${formatSeconds(timeoutMs)}: the query ran past its time limit and was cancelled (its worker process was killed).`,
    );
  }
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

export function workerScriptPath(): string {
  return path.join(/*turbopackIgnore: true*/ process.cwd(), 'lib', 'sql-console', 'sqlite-worker.mjs');
}

interface WorkerReply {
  id?: number;
  op?: string;
  ok?: boolean;
  result?: unknown;
  error?: { message: string; code?: string };
  [key: string]: unknown;
}

type Listener = (message: WorkerReply) => void;

/** One worker process and the requests waiting on it. */
class WorkerHandle {
  readonly child: ChildProcess;
  readonly ready: Promise<void>;
  private readonly listeners = new Map<number, Listener>();
  private stderr = '';
  exited = false;

  constructor(onExit: (worker: WorkerHandle) => void) {
    const script = workerScriptPath();
    if (!fs.existsSync(script)) {
      throw new SqliteWorkerError(
        `The SQLite worker script ${script} is missing: start the console from its project folder (the working directory must hold lib/sql-console/).`,
        'NO_WORKER',
      );
    }
    this.child = fork(script, [], {
      serialization: 'advanced',
      execArgv: [],
      env: { ...process.env, SQLITE_USE_URI: '1' },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    this.child.stderr?.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString('utf8')).slice(-2000);
    });
    this.ready = new Promise((resolve, reject) => {
      const onReady = (message: WorkerReply) => {
        if (message?.op === 'ready') {
          this.child.off('message', onReady);
          resolve();
        }
      };
      this.child.on('message', onReady);
      this.child.once('error', reject);
      this.child.once('exit', (code, signal) =>
        reject(
          new SqliteWorkerError(
            `The SQLite worker process could not start (exit ${code ?? signal}). ${this.stderr}`.trim(),
          ),
        ),
      );
    });
    // Unhandled while nobody awaits it (the exit path below reports failures to callers).
    this.ready.catch(() => undefined);
    this.child.on('message', (message: WorkerReply) => {
      if (typeof message?.id === 'number') this.listeners.get(message.id)?.(message);
    });
    this.child.on('exit', (code, signal) => {
      this.exited = true;
      this.child.channel?.unref?.();
      const error = new SqliteWorkerError(
        `The SQLite worker process ended unexpectedly (${signal ?? `exit ${code}`}).${this.stderr ? ` ${this.stderr.trim()}` : ''}`,
        'WORKER_EXITED',
      );
      for (const listener of [...this.listeners.values()])
        listener({ ok: false, error: { message: error.message, code: error.code } });
      this.listeners.clear();
      onExit(this);
    });
    this.child.on('error', () => undefined);
    this.idle();
  }

  listen(id: number, listener: Listener): void {
    this.listeners.set(id, listener);
  }

  unlisten(id: number): void {
    this.listeners.delete(id);
  }

  send(message: Record<string, unknown>): void {
    if (this.exited || !this.child.connected)
      throw new SqliteWorkerError('The SQLite worker process is not running.', 'WORKER_EXITED');
    this.child.send(message);
  }

  /** While a request is in flight the channel keeps the process alive; idle workers do not. */
  busy(): void {
    this.child.ref();
    (this.child.channel as { ref?: () => void } | undefined)?.ref?.();
  }

  idle(): void {
    this.child.unref();
    (this.child.channel as { unref?: () => void } | undefined)?.unref?.();
  }

  /** Killed workers are never handed out again, even before their exit event arrives. */
  kill(): void {
    if (this.exited) return;
    this.exited = true;
    this.child.kill('SIGKILL');
  }
}

let nextId = 1;

export interface CallOptions {
  /** Kill the worker when the request has not answered after this long. */
  timeoutMs: number;
  /** A process of its own (long jobs, streams), not one of the pool's. */
  dedicated?: boolean;
  /** Messages the worker sends before its answer (e.g. per-table progress of a scan). */
  onProgress?: (message: WorkerReply) => void;
  signal?: AbortSignal;
}

export class SqliteProcessPool {
  private readonly idleWorkers: WorkerHandle[] = [];
  private readonly workers = new Set<WorkerHandle>();
  private readonly waiting: ((worker: WorkerHandle) => void)[] = [];
  private closed = false;

  constructor(readonly size = 2) {}

  private spawn(): WorkerHandle {
    const worker = new WorkerHandle((gone) => {
      this.workers.delete(gone);
      const at = this.idleWorkers.indexOf(gone);
      if (at >= 0) this.idleWorkers.splice(at, 1);
    });
    return worker;
  }

  private acquire(): Promise<WorkerHandle> {
    if (this.closed) return Promise.reject(new SqliteWorkerError('The SQLite worker pool is shut down.'));
    const idle = this.idleWorkers.pop();
    if (idle) return Promise.resolve(idle);
    if (this.workers.size < this.size) {
      const worker = this.spawn();
      this.workers.add(worker);
      return Promise.resolve(worker);
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(worker: WorkerHandle): void {
    if (worker.exited || this.closed) {
      if (this.closed) return worker.kill();
      this.workers.delete(worker);
      // A killed worker is replaced at once, so the next request finds a warm process.
      const fresh = this.spawn();
      this.workers.add(fresh);
      const waiter = this.waiting.shift();
      if (waiter) waiter(fresh);
      else this.idleWorkers.push(fresh);
      return;
    }
    const waiter = this.waiting.shift();
    if (waiter) waiter(worker);
    else {
      worker.idle();
      this.idleWorkers.push(worker);
    }
  }

  /** Sends one request and waits for its answer (or kills the worker when the time limit passes). */
  async call<T>(message: Record<string, unknown>, options: CallOptions): Promise<T> {
    const worker = options.dedicated ? this.spawn() : await this.acquire();
    try {
      return await this.callOn<T>(worker, message, options);
    } finally {
      if (options.dedicated) worker.kill();
      else this.release(worker);
    }
  }

  private async callOn<T>(
    worker: WorkerHandle,
    message: Record<string, unknown>,
    options: CallOptions,
  ): Promise<T> {
    worker.busy();
    await worker.ready;
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const finish = (error: Error | null, value?: T) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        worker.unlisten(id);
        if (error) reject(error);
        else resolve(value as T);
      };
      const timer = setTimeout(() => {
        worker.kill();
        finish(new SqliteTimeoutError(options.timeoutMs));
      }, options.timeoutMs);
      const onAbort = () => {
        worker.kill();
        finish(new SqliteWorkerError('The request was cancelled.', 'ABORTED'));
      };
      if (options.signal?.aborted) return onAbort();
      options.signal?.addEventListener('abort', onAbort);
      worker.listen(id, (reply) => {
        if (reply.op === 'progress') {
          options.onProgress?.(reply);
          return;
        }
        if (reply.ok) finish(null, reply.result as T);
        else
          finish(
            new SqliteWorkerError(reply.error?.message ?? 'The SQLite worker failed.', reply.error?.code),
          );
      });
      try {
        worker.send({ ...message, id });
      } catch (error) {
        finish(error as Error);
      }
    });
  }

  /** Runs statements on one connection, in order; their results in the same order. */
  query(
    target: SqliteTarget,
    statements: StatementRequest[],
    options: CallOptions,
  ): Promise<StatementResult[]> {
    return this.call<StatementResult[]>({ op: 'query', target, statements }, options);
  }

  /**
   * Rows of one statement, batch by batch, from a dedicated process: the next batch is asked for only
   * when the consumer wants it, so memory stays flat however many rows there are. Ending the loop early
   * (or the signal aborting) kills the process.
   */
  async *stream(
    target: SqliteTarget,
    statement: { sql: string; params?: readonly unknown[]; console?: boolean; maxRows?: number },
    options: {
      batchSize?: number;
      signal?: AbortSignal;
      onColumns?: (columns: ResultColumn[]) => void;
      firstBatchTimeoutMs?: number;
    } = {},
  ): AsyncGenerator<unknown[][], { rows: number; truncated: boolean }> {
    const worker = this.spawn();
    const id = nextId++;
    const queue: WorkerReply[] = [];
    let wake: (() => void) | null = null;
    const push = (reply: WorkerReply) => {
      queue.push(reply);
      wake?.();
    };
    const onAbort = () => worker.kill();
    options.signal?.addEventListener('abort', onAbort);
    worker.listen(id, push);
    const nextReply = async (timeoutMs?: number): Promise<WorkerReply> => {
      let timer: NodeJS.Timeout | undefined;
      while (queue.length === 0) {
        await new Promise<void>((resolve) => {
          wake = resolve;
          if (timeoutMs !== undefined)
            timer = setTimeout(() => {
              worker.kill();
              push({
                ok: false,
                error: { message: new SqliteTimeoutError(timeoutMs).message, code: 'TIMEOUT' },
              });
            }, timeoutMs);
        });
        wake = null;
        clearTimeout(timer);
      }
      return queue.shift()!;
    };
    try {
      worker.busy();
      await worker.ready;
      worker.send({
        op: 'stream',
        id,
        target,
        sql: statement.sql,
        params: statement.params ?? [],
        console: statement.console,
        maxRows: statement.maxRows,
        batchSize: options.batchSize ?? 1000,
      });
      for (;;) {
        const reply = await nextReply(options.firstBatchTimeoutMs);
        if (reply.ok === false) {
          if (reply.error?.code === 'TIMEOUT') throw new SqliteTimeoutError(options.firstBatchTimeoutMs ?? 0);
          throw new SqliteWorkerError(reply.error?.message ?? 'The export failed.', reply.error?.code);
        }
        if (reply.op === 'columns') options.onColumns?.(reply.columns as ResultColumn[]);
        else if (reply.op === 'batch') {
          // Read one batch ahead: the worker reads the next one while this one is consumed. At most
          // two batches exist at a time, so memory stays flat.
          worker.send({ op: 'more', id });
          yield reply.rows as unknown[][];
        } else if (reply.op === 'end')
          return { rows: Number(reply.rows), truncated: Boolean(reply.truncated) };
        // Only the first answer is time-limited: after that the consumer sets the pace.
        options = { ...options, firstBatchTimeoutMs: undefined };
      }
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
      worker.unlisten(id);
      worker.kill();
    }
  }

  /** Kills every worker (tests, shutdown). */
  shutdown(): void {
    this.closed = true;
    for (const worker of this.workers) worker.kill();
    this.workers.clear();
    this.idleWorkers.length = 0;
  }
}

const globalForPool = globalThis as typeof globalThis & { __foundupsSqlitePool?: SqliteProcessPool };

/** The process-wide pool (kept on globalThis so dev reloads do not leak processes). */
export function getSqlitePool(): SqliteProcessPool {
  globalForPool.__foundupsSqlitePool ??= new SqliteProcessPool(2);
  return globalForPool.__foundupsSqlitePool;
}

export function shutdownSqlitePool(): void {
  globalForPool.__foundupsSqlitePool?.shutdown();
  globalForPool.__foundupsSqlitePool = undefined;
}
