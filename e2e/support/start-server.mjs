// The e2e webServer command (see playwright.config.ts): prepares the run's temporary database through
// the CLI — migrate, seed the demo data, create one operator per role with a random password — then
// runs the production server on it. Playwright starts this before globalSetup, which is why the
// database is prepared here and not there.
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
const cli = path.join(root, 'bin/foundups.mjs');
const nextBin = path.join(root, 'node_modules/next/dist/bin/next');

const {
  FOUNDUPS_DB_PATH: dbPath,
  FOUNDUPS_ROOT: demoRoot,
  FOUNDUPS_E2E_CREDENTIALS: credentialsFile,
  PORT: port,
} = process.env;
if (!dbPath || !demoRoot || !credentialsFile || !port) {
  console.error(
    'start-server.mjs needs FOUNDUPS_DB_PATH, FOUNDUPS_ROOT, FOUNDUPS_E2E_CREDENTIALS and PORT; it is run by playwright.config.ts.',
  );
  process.exit(2);
}

const ROLES = ['admin', 'reviewer', 'viewer'];

/** Runs one CLI command; its output is shown only when it fails, so a good run stays quiet. */
function foundups(args, input) {
  const result = spawnSync(process.execPath, [cli, ...args], {
    cwd: root,
    env: process.env,
    input,
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    process.stderr.write(result.stdout ?? '');
    process.stderr.write(result.stderr ?? '');
    console.error(
      `e2e setup: \`foundups ${args.join(' ')}\` failed (exit ${result.status ?? result.signal}).`,
    );
    process.exit(1);
  }
}

fs.mkdirSync(path.dirname(dbPath), { recursive: true });
foundups(['migrate']);
foundups(['seed', '--root', demoRoot]);

const credentials = {};
for (const role of ROLES) {
  const username = `e2e${role}`;
  const password = crypto.randomBytes(18).toString('base64url');
  foundups(
    ['operators', 'create', '--username', username, '--role', role, '--password-stdin'],
    `${password}\n`,
  );
  credentials[role] = { username, password };
}
fs.writeFileSync(credentialsFile, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });

const server = spawn(process.execPath, [nextBin, 'start', '-H', '127.0.0.1', '-p', port], {
  cwd: root,
  env: process.env,
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 1)));
