import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { APIRequestContext, APIResponse } from '@playwright/test';
import { requireE2eEnvironment } from './environment';

// Helpers for the security specs (authorization matrix, hostile input, headers): what the app
// consists of (routes and server actions, read from the sources and the built server), the run's
// database as an agent sees it, and calls made the way an attacker would make them.

const ROOT = path.resolve(import.meta.dirname, '../..');

function walk(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? walk(full) : [full];
  });
}

/** `app/(console)/review/[postId]/page.tsx` → `/review/[postId]` (route groups and private folders dropped). */
export function routeOf(file: string): string {
  const segments = path
    .relative(path.join(ROOT, 'app'), path.dirname(file))
    .split(path.sep)
    .filter((segment) => segment !== '' && !/^\(.*\)$/.test(segment) && !segment.startsWith('@'));
  return `/${segments.join('/')}`;
}

const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/** Every page route of the app, found on disk now. */
export function discoverPages(): string[] {
  return [
    ...new Set(
      walk(path.join(ROOT, 'app'))
        .filter((file) => /[\\/]page\.(tsx|ts|jsx|js|mdx)$/.test(file))
        .map(routeOf),
    ),
  ].toSorted();
}

/** Every API handler as `METHOD /path`, from the exported functions of each route.ts. */
export function discoverApiHandlers(): string[] {
  const handlers: string[] = [];
  for (const file of walk(path.join(ROOT, 'app')).filter((f) => /[\\/]route\.(ts|js)$/.test(f))) {
    const source = fs.readFileSync(file, 'utf8');
    for (const method of HTTP_METHODS) {
      const exported = new RegExp(
        `export\\s+(async\\s+function\\s+${method}\\b|const\\s+${method}\\b|\\{[^}]*\\b${method}\\b[^}]*\\})`,
      );
      if (exported.test(source)) handlers.push(`${method} ${routeOf(file)}`);
    }
  }
  return handlers.toSorted();
}

/** Every exported server action, as `module-path#exportName`, from the files that start with 'use server'. */
export function discoverServerActions(): string[] {
  const actions: string[] = [];
  for (const dir of ['app', 'lib', 'components']) {
    for (const file of walk(path.join(ROOT, dir)).filter((f) => /\.(ts|tsx)$/.test(f))) {
      const source = fs.readFileSync(file, 'utf8');
      // The directive must be the first statement; comments may precede it.
      const body = source.replace(/^(\s*(\/\/[^\n]*\n|\/\*[\s\S]*?\*\/))*\s*/, '');
      if (!/^['"]use server['"]/.test(body)) continue;
      const rel = path.relative(ROOT, file).split(path.sep).join('/');
      for (const match of source.matchAll(/export\s+(?:async\s+function\s*\*?|const|let|function)\s+(\w+)/g))
        actions.push(`${rel}#${match[1]}`);
      for (const match of source.matchAll(/export\s*\{([^}]*)\}/g))
        for (const name of match[1]!.split(','))
          if (name.trim())
            actions.push(
              `${rel}#${name
                .trim()
                .split(/\s+as\s+/)
                .pop()}`,
            );
    }
  }
  return actions.toSorted();
}

/** The built server's action ids by `module-path#exportName` (server-reference-manifest.json). */
export function serverActionIds(): Map<string, string> {
  const distDir = process.env.FOUNDUPS_NEXT_DIST_DIR || '.next';
  const manifestPath = path.join(ROOT, distDir, 'server', 'server-reference-manifest.json');
  const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as {
    node: Record<
      string,
      {
        filename?: string;
        exportedName?: string;
        workers: Record<string, { filename?: string; exportedName?: string }>;
      }
    >;
  };
  const ids = new Map<string, string>();
  for (const [id, entry] of Object.entries(manifest.node)) {
    const worker = Object.values(entry.workers)[0];
    const filename = entry.filename ?? worker?.filename;
    const exportedName = entry.exportedName ?? worker?.exportedName;
    if (!filename || !exportedName)
      throw new Error(
        `${manifestPath}: action ${id} has no filename/exportedName; Next changed its manifest.`,
      );
    ids.set(`${filename.replace(/^\.\//, '')}#${exportedName}`, id);
  }
  return ids;
}

/**
 * Calls a server action as any HTTP client can: a POST with the action's id in `Next-Action` and the
 * arguments React would encode (plain JSON for plain values). `path` is any page: Next forwards the
 * call to the worker that holds the action. Returns the status and the RSC text of the answer.
 */
export async function callServerAction(
  request: APIRequestContext,
  actionId: string,
  args: unknown[],
  options: { path?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; text: string; response: APIResponse }> {
  const response = await request.post(options.path ?? '/login', {
    headers: {
      'Next-Action': actionId,
      'Content-Type': 'text/plain;charset=UTF-8',
      Accept: 'text/x-component',
      ...options.headers,
    },
    data: JSON.stringify(args),
    maxRedirects: 0,
  });
  return { status: response.status(), text: await response.text(), response };
}

/** The run's database, opened as the agents open it (plain SQLite, WAL). */
export function openRunDatabase(): Database.Database {
  const db = new Database(requireE2eEnvironment().dbPath);
  db.pragma('busy_timeout = 10000');
  return db;
}

export type TokenState = 'active' | 'expired' | 'revoked';

/**
 * An API token written straight into the database in the format lib/review/tokens.ts uses (the CLI
 * and Settings create the same rows), so a test can hold expired and revoked ones too.
 */
export function insertApiToken(
  scopes: string[],
  state: TokenState = 'active',
  name = 'security-e2e',
): string {
  const secret = `fu_${crypto.randomBytes(32).toString('base64url')}`;
  const now = Date.now();
  const db = openRunDatabase();
  try {
    db.prepare(
      `INSERT INTO modules_console_api_tokens (name, token_hash, token_prefix, scopes, created_by, created_at, expires_at, revoked_at)
       VALUES (?, ?, ?, ?, NULL, ?, ?, ?)`,
    ).run(
      `${name} (${state}: ${scopes.join(' ') || 'no scopes'})`,
      crypto.createHash('sha256').update(secret, 'utf8').digest('hex'),
      secret.slice(0, 11),
      scopes.join(' '),
      new Date(now - 3_600_000).toISOString(),
      state === 'expired' ? new Date(now - 60_000).toISOString() : null,
      state === 'revoked' ? new Date(now - 60_000).toISOString() : null,
    );
  } finally {
    db.close();
  }
  return secret;
}

/** A fingerprint of every table's row count: "the database did not change". */
export function rowCounts(
  exclude: RegExp = /^(sqlite_|modules_console_(sessions|activity|login_attempts|api_tokens|table_stats|meta))/,
): Record<string, number> {
  const db = openRunDatabase();
  try {
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as {
      name: string;
    }[];
    const counts: Record<string, number> = {};
    for (const { name } of tables) {
      if (exclude.test(name)) continue;
      counts[name] = (
        db.prepare(`SELECT count(*) AS n FROM "${name.replaceAll('"', '""')}"`).get() as { n: number }
      ).n;
    }
    return counts;
  } finally {
    db.close();
  }
}

/**
 * Calls the sign-in server action directly, as a script would: React encodes its (previousState,
 * FormData) arguments as multipart fields `_1_<name>` plus the root `0` that refers to them.
 * Returns the HTTP status, the session cookie set (if any) and the action's answer text.
 */
export async function callLoginAction(
  request: APIRequestContext,
  loginActionId: string,
  credentials: { username: string; password: string },
  headers: Record<string, string> = {},
): Promise<{ status: number; sessionCookie: string | null; text: string }> {
  // A FormData, not an object: the fields must come before the root `0`, and an object would put
  // its integer-like key first.
  const form = new FormData();
  form.append('_1_username', credentials.username);
  form.append('_1_password', credentials.password);
  form.append('0', '[{},"$K1"]');
  const response = await request.post('/login', {
    headers: { 'Next-Action': loginActionId, Accept: 'text/x-component', ...headers },
    multipart: form,
    maxRedirects: 0,
  });
  const setCookie = response
    .headersArray()
    .filter((header) => header.name.toLowerCase() === 'set-cookie')
    .map((header) => header.value)
    .find((value) => value.startsWith('fu_session='));
  return { status: response.status(), sessionCookie: setCookie ?? null, text: await response.text() };
}
