// The stress scripts' world: a fresh temporary SQLite database prepared through the CLI (migrate, demo
// data, operators, an API token — as e2e/support/start-server.mjs does), and the production server
// (`next start` from an existing build) running on it, which the scripts can stop or kill -9.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../../..');
const CLI = path.join(ROOT, 'bin/foundups.mjs');
const NEXT_BIN = path.join(ROOT, 'node_modules/next/dist/bin/next');

export interface Credentials {
  username: string;
  password: string;
}

export interface StressWorld {
  dir: string;
  dbPath: string;
  rootDir: string;
  reviewers: Credentials[];
  /** Empty when prepared with `viewer: false`. */
  viewer: Credentials;
  /** Bearer secret of a token with posts:read (the reviewers' way to list pending posts quickly); empty with `token: false`. */
  readToken: string;
  /** Removes the temporary directory (unless FOUNDUPS_STRESS_KEEP=1). */
  cleanup(): void;
}

/** The build the scripts serve: FOUNDUPS_NEXT_DIST_DIR (as next.config.ts reads it) or `.next`. */
export function distDir(): string {
  return process.env.FOUNDUPS_NEXT_DIST_DIR || '.next';
}

/** Refuses to go on without a production build (the stress figures are about `next start`). */
export function requireBuild(dist = distDir()): void {
  if (!fs.existsSync(path.join(ROOT, dist, 'BUILD_ID'))) {
    throw new Error(
      `No production build in ${dist}/: run \`npx next build\` first (or set FOUNDUPS_NEXT_DIST_DIR to a built folder).`,
    );
  }
}

function baseEnv(dbPath: string, rootDir: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    FOUNDUPS_DB_PATH: dbPath,
    FOUNDUPS_ROOT: rootDir,
    // Never let a DATABASE_URL from the caller's shell point a stress run at a real database.
    DATABASE_URL: '',
    DATABASE_READ_URL: '',
    NEXT_TELEMETRY_DISABLED: '1',
  };
}

/** Runs `foundups ARGS` on the world's database; returns stdout, throws with the output on failure. */
export function foundups(
  world: Pick<StressWorld, 'dbPath' | 'rootDir'>,
  args: string[],
  input?: string,
): string {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    env: baseEnv(world.dbPath, world.rootDir),
    input,
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    throw new Error(
      `\`foundups ${args.join(' ')}\` failed (exit ${result.status ?? result.signal}):\n${result.stdout}${result.stderr}`,
    );
  }
  return result.stdout;
}

/**
 * A fresh database: migrated, with the demo data when `seed` (a realistic timeline and queue to read),
 * `reviewers` reviewer operators, one viewer and a posts:read token.
 */
export function prepareWorld(
  options: { seed?: boolean; reviewers?: number; viewer?: boolean; token?: boolean; prefix?: string } = {},
): StressWorld {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), options.prefix ?? 'foundups-stress-'));
  const world = { dbPath: path.join(dir, 'foundups.db'), rootDir: path.join(dir, 'root') };
  fs.mkdirSync(world.rootDir, { recursive: true });
  foundups(world, ['migrate']);
  if (options.seed ?? true) foundups(world, ['seed', '--root', world.rootDir]);
  const operator = (username: string, role: string): Credentials => {
    const password = crypto.randomBytes(18).toString('base64url');
    foundups(
      world,
      ['operators', 'create', '--username', username, '--role', role, '--password-stdin'],
      `${password}\n`,
    );
    return { username, password };
  };
  const reviewers = Array.from({ length: options.reviewers ?? 2 }, (_, i) =>
    operator(`stress-reviewer-${i + 1}`, 'reviewer'),
  );
  // Each CLI call costs a second or more on a busy machine: only what the run needs.
  const viewer =
    options.viewer === false ? { username: '', password: '' } : operator('stress-viewer', 'viewer');
  const readToken =
    options.token === false
      ? ''
      : foundups(world, ['tokens', 'create', '--name', 'stress-reader', '--scopes', 'posts:read'])
          .trim()
          .split('\n')
          .at(-1)!
          .trim();
  return {
    dir,
    ...world,
    reviewers,
    viewer,
    readToken,
    cleanup() {
      if (process.env.FOUNDUPS_STRESS_KEEP === '1')
        console.log(`FOUNDUPS_STRESS_KEEP=1: the run's files stay in ${dir}`);
      else fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('Could not find a free TCP port.'))));
    });
  });
}

export interface RunningServer {
  baseURL: string;
  port: number;
  child: ChildProcess;
  /** What the server printed on stderr (kept for the report when something fails). */
  stderr(): string;
  /** SIGTERM and wait for the exit. */
  stop(): Promise<void>;
  /** kill -9 and wait for the exit. */
  kill9(): Promise<void>;
}

/** Starts `next start` on the world's database and waits until /api/health answers ok. */
export async function startServer(
  world: Pick<StressWorld, 'dbPath' | 'rootDir'>,
  options: { port?: number; timeoutMs?: number } = {},
): Promise<RunningServer> {
  requireBuild();
  const port = options.port ?? (await freePort());
  const child = spawn(process.execPath, [NEXT_BIN, 'start', '-H', '127.0.0.1', '-p', String(port)], {
    cwd: ROOT,
    env: {
      ...baseEnv(world.dbPath, world.rootDir),
      FOUNDUPS_NEXT_DIST_DIR: distDir(),
      NODE_ENV: 'production',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  // A runner that dies (a test timeout, Ctrl-C) must not leave the server running on its port.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-20_000);
  });
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  const baseURL = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(
        `next start exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${stderr}`,
      );
    try {
      const response = await fetch(`${baseURL}/api/health`, { signal: AbortSignal.timeout(5000) });
      if (response.ok && ((await response.json()) as { ok?: boolean }).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(
        `next start did not become healthy within ${options.timeoutMs ?? 60_000} ms:\n${stderr}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    baseURL,
    port,
    child,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
    async kill9() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/**
 * Server action ids by exported name, from the build's manifest: the ids the console's own pages
 * send in the Next-Action header. `file` narrows the search to one module (e.g. 'lib/review/actions').
 */
export function findActionId(file: string, exportedName: string, dist = distDir()): string {
  const manifestPath = path.join(ROOT, dist, 'server/server-reference-manifest.json');
  const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as {
    node: Record<string, { exportedName?: string; filename?: string }>;
  };
  const matches = Object.entries(manifest.node).filter(
    ([, entry]) => entry.exportedName === exportedName && (entry.filename ?? '').includes(file),
  );
  if (matches.length !== 1)
    throw new Error(
      `Expected one server action ${file}#${exportedName} in ${manifestPath}, found ${matches.length}.`,
    );
  return matches[0]![0];
}
