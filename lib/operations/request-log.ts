import { AsyncLocalStorage } from 'node:async_hooks';
import crypto from 'node:crypto';
import http from 'node:http';
import { getDb } from '@/db/client';
import { sql } from '@/db/database';
import { type RequestContext, installQueryMetrics, recordSample, requestContextStorage } from './metrics';

// Structured request logs: one JSON line on stdout per request, page render, server action and API
// call, written when the response finishes:
//   {"time","level","msg":"request","method","route","path","kind","status","outcome","durationMs",
//    "queryMs","queries","operator"}
//
// How: at server start (instrumentation.ts) the 'request' event of Node's HTTP servers is wrapped, so
// every request runs inside a context (AsyncLocalStorage) that the query metrics fill in (route
// pattern, query time) and the response's 'finish'/'close' ends. Nothing is read from bodies,
// headers, cookies or query strings except: the method, the path WITHOUT its query string (setup
// links carry a token there), whether it is a server action (the Next-Action header's presence), and
// the operator's name, looked up from the hash of the session cookie or of the bearer token. No
// secret, cookie, token, password or query value is ever written.

export interface RequestLogLine {
  time: string;
  level: 'info' | 'warn' | 'error';
  msg: 'request';
  method: string;
  route: string;
  path: string;
  kind: 'page' | 'action' | 'api' | 'asset';
  status: number;
  outcome: 'ok' | 'redirect' | 'client_error' | 'server_error' | 'aborted';
  durationMs: number;
  queryMs: number;
  queries: number;
  operator: string | null;
}

const SESSION_COOKIE = 'fu_session';
/** Static files are served by Next without touching the app: not worth a line each. */
const SKIPPED = /^\/_next\/(static|image)\//;

function sha256(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex');
}

function cookieValue(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return null;
}

/** Who made the request: an operator's username or `token:<name>`, from hashes only; cached a minute. */
const operatorCache = new Map<string, { name: string | null; at: number }>();

async function lookupOperator(sessionToken: string | null, bearer: string | null): Promise<string | null> {
  const key = sessionToken ? `s:${sha256(sessionToken)}` : bearer ? `t:${sha256(bearer)}` : null;
  if (!key) return null;
  const cached = operatorCache.get(key);
  if (cached && Date.now() - cached.at < 60_000) return cached.name;
  let name: string | null = null;
  try {
    const db = await getDb();
    if (key.startsWith('s:')) {
      const row = await db.get<{ username: string }>(
        sql`SELECT o.username FROM modules_console_sessions s JOIN modules_console_operators o ON o.id = s.operator_id WHERE s.id = ${key.slice(2)}`,
      );
      name = row?.username ?? null;
    } else {
      const row = await db.get<{ name: string }>(
        sql`SELECT name FROM modules_console_api_tokens WHERE token_hash = ${key.slice(2)}`,
      );
      name = row ? `token:${row.name}` : null;
    }
  } catch {
    name = null;
  }
  if (operatorCache.size > 1000) operatorCache.clear();
  operatorCache.set(key, { name, at: Date.now() });
  return name;
}

/** '/review/601e28f5-…' → '/review/[id]': keeps paths of requests without a known route pattern few. */
export function foldIds(path: string): string {
  return path
    .split('/')
    .map((segment) => (/^(\d+|[0-9a-f]{8}-[0-9a-f-]{27}|[0-9a-f]{16,})$/i.test(segment) ? '[id]' : segment))
    .join('/');
}

export function outcomeOf(status: number, finished: boolean): RequestLogLine['outcome'] {
  if (!finished) return 'aborted';
  if (status >= 500) return 'server_error';
  if (status >= 400) return 'client_error';
  if (status >= 300) return 'redirect';
  return 'ok';
}

export function kindOf(path: string, isAction: boolean): RequestLogLine['kind'] {
  if (isAction) return 'action';
  if (path.startsWith('/api/')) return 'api';
  if (path.startsWith('/_next/')) return 'asset';
  return 'page';
}

type Writer = (line: string) => void;

interface LogState {
  installed: boolean;
  write: Writer;
}

const globalForLog = globalThis as typeof globalThis & { __foundupsRequestLog?: LogState };

/**
 * Wraps every Node HTTP server's 'request' event (idempotent). `write` defaults to stdout; tests pass
 * their own. FOUNDUPS_REQUEST_LOG=0 turns the lines off (the metrics keep working).
 */
export function installRequestLog(write: Writer = (line) => process.stdout.write(line)): void {
  const state = (globalForLog.__foundupsRequestLog ??= { installed: false, write });
  state.write = write;
  installQueryMetrics();
  if (state.installed) return;
  state.installed = true;
  const enabled = process.env.FOUNDUPS_REQUEST_LOG !== '0';
  const storage = requestContextStorage();
  // Operator lookups run outside the request's context, so their own query is not filed under it.
  const detached = AsyncLocalStorage.snapshot();
  const originalEmit = http.Server.prototype.emit as (
    this: http.Server,
    event: string | symbol,
    ...args: unknown[]
  ) => boolean;
  http.Server.prototype.emit = function emit(this: http.Server, event: string | symbol, ...args: unknown[]) {
    if (event !== 'request') return originalEmit.call(this, event, ...args);
    const request = args[0] as http.IncomingMessage;
    const response = args[1] as http.ServerResponse;
    const url = request.url ?? '/';
    const queryAt = url.indexOf('?');
    const path = queryAt >= 0 ? url.slice(0, queryAt) : url;
    if (SKIPPED.test(path)) return originalEmit.call(this, event, ...args);
    const context: RequestContext = { method: request.method ?? 'GET', path, queryMs: 0, queries: 0 };
    const started = performance.now();
    const isAction = request.headers['next-action'] !== undefined;
    const sessionToken = cookieValue(request.headers.cookie, SESSION_COOKIE);
    const bearer = /^\s*Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1] ?? null;
    let logged = false;
    const finish = () => {
      if (logged) return;
      logged = true;
      const durationMs = Math.round((performance.now() - started) * 100) / 100;
      // The route pattern when a query ran inside Next's work store; else the path with ids folded.
      const route = context.route ?? foldIds(path);
      const sampleRoute = isAction && !route.endsWith(' (action)') ? `${route} (action)` : route;
      recordSample(sampleRoute, durationMs, Date.now(), 'request');
      if (!enabled) return;
      const status = response.statusCode;
      const finished = response.writableFinished;
      detached(() => {
        void lookupOperator(sessionToken, bearer).then((operator) => {
          const line: RequestLogLine = {
            time: new Date().toISOString(),
            level: status >= 500 ? 'error' : status >= 400 || !finished ? 'warn' : 'info',
            msg: 'request',
            method: context.method,
            route,
            path,
            kind: kindOf(path, isAction),
            status,
            outcome: outcomeOf(status, finished),
            durationMs,
            queryMs: Math.round(context.queryMs * 100) / 100,
            queries: context.queries,
            operator,
          };
          globalForLog.__foundupsRequestLog!.write(`${JSON.stringify(line)}\n`);
        });
      });
    };
    response.once('finish', finish);
    response.once('close', finish);
    return storage.run(context, () => originalEmit.call(this, event, ...args));
  } as typeof http.Server.prototype.emit;
}
