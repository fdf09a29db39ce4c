import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * The e2e run's throwaway world: a temporary directory holding the database, the demo root, the
 * operators' credentials and the per-role signed-in browser states, plus the port the server uses.
 *
 * Playwright evaluates the config in the runner and again in every worker, and starts the webServer
 * before globalSetup runs. So the runner decides everything here, once, and publishes it through
 * environment variables that the webServer command and the workers inherit.
 */
export interface E2eEnvironment {
  dir: string;
  dbPath: string;
  rootDir: string;
  credentialsFile: string;
  storageDir: string;
  port: number;
  baseURL: string;
}

const DIR_VAR = 'FOUNDUPS_E2E_DIR';
const PORT_VAR = 'FOUNDUPS_E2E_PORT';
const KEEP_VAR = 'FOUNDUPS_E2E_KEEP';

function freePort(): Promise<number> {
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

function environmentAt(dir: string, port: number): E2eEnvironment {
  return {
    dir,
    dbPath: path.join(dir, 'foundups-e2e.db'),
    rootDir: path.join(dir, 'root'),
    credentialsFile: path.join(dir, 'credentials.json'),
    storageDir: path.join(dir, 'storage'),
    port,
    baseURL: `http://127.0.0.1:${port}`,
  };
}

/** In the runner: create the run's directory and pick a port. In workers: read what the runner chose. */
export async function prepareE2eEnvironment(): Promise<E2eEnvironment> {
  const existing = readE2eEnvironment();
  if (existing) return existing;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'foundups-e2e-'));
  const port = Number(process.env[PORT_VAR]) || (await freePort());
  process.env[DIR_VAR] = dir;
  process.env[PORT_VAR] = String(port);
  if (process.env[KEEP_VAR] === '1') {
    console.log(`e2e: ${KEEP_VAR}=1, the run's database and files stay in ${dir}`);
  } else {
    // Only the runner that created the directory removes it, on exit, whatever happened: a webServer
    // that failed to start never reaches globalSetup or globalTeardown.
    process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  }
  return environmentAt(dir, port);
}

/** The environment the runner published, or undefined outside an e2e run. */
export function readE2eEnvironment(): E2eEnvironment | undefined {
  const dir = process.env[DIR_VAR];
  const port = Number(process.env[PORT_VAR]);
  if (!dir || !port) return undefined;
  return environmentAt(dir, port);
}

export function requireE2eEnvironment(): E2eEnvironment {
  const env = readE2eEnvironment();
  if (!env)
    throw new Error(
      `${DIR_VAR} and ${PORT_VAR} are not set; run the e2e tests through playwright.config.ts.`,
    );
  return env;
}
