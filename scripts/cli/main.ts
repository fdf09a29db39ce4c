import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { ZodError } from 'zod';
import { openDatabase } from '@/db/client';
import { ConfigError, describeDbConfig, readDbConfig } from '@/db/config';
import { type Database, DatabaseBusyError } from '@/db/database';
import { NamespaceError } from '@/db/namespaces';
import {
  OperatorError,
  createOperator,
  disableOperator,
  enableOperator,
  listOperators,
  resetPassword,
  setOperatorRole,
} from '@/lib/auth/operators';
import { PasswordPolicyError } from '@/lib/auth/password';
import { isRole } from '@/lib/auth/roles';
import { issueSetupToken } from '@/lib/auth/setup-token';
import { AUDIT_HELP, INGEST_HELP, auditCommand, ingestCommand } from './ingest-commands';
import { TOKENS_HELP, tokensCommand } from './token-commands';
import {
  BackupError,
  OPERATIONS_HELP,
  RetentionError,
  backupCommand,
  restoreCommand,
  retentionCommand,
} from './operations-commands';
import { MIGRATE_TO_POSTGRES_HELP, migrateToPostgresCommand } from './migrate-to-postgres-command';
import { type ParsedArgs, UsageError, checkOptions, flag, intOption, parseArgs, stringOption } from './args';

const HELP = `foundups — the FoundUps Console command line

Every command uses the configured database: FOUNDUPS_DB_PATH (SQLite, default data/foundups.db)
or DATABASE_URL (postgres://…); with several named databases (FOUNDUPS_DATABASES), the default one
or FOUNDUPS_DATABASE=NAME. Options go after the command.

  demo [--port N]                   demo database + demo root under data/, then serve the console
  serve [--port N] [--rebuild]      build if needed and run the console on 127.0.0.1 (default port 3000)
  migrate                           apply pending migrations (safe on a database the agents created)
  seed [--force] [--scale N] [--posts N] [--root DIR]
                                    fill demo data (refuses a database with real rows unless --force);
                                    --scale N adds N generated events for benchmarks
  setup-link [--base-url URL]       print a one-time link that creates the first admin
  operators list
  operators create --username U --role viewer|reviewer|admin [--display-name NAME] [--password-stdin]
  operators disable U | enable U
  operators set-role U ROLE
  operators reset-password U [--password-stdin]
`;

async function withDb<T>(fn: (db: Database) => Promise<T>, options: { migrate?: boolean } = {}): Promise<T> {
  const db = await openDatabase(readDbConfig(), { create: true, migrate: options.migrate });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

async function readPassword(args: ParsedArgs, prompt: string): Promise<string> {
  if (flag(args, 'password-stdin')) {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks)
      .toString('utf8')
      .replace(/\r?\n$/, '');
    if (!text) throw new UsageError('No password on standard input.');
    return text;
  }
  if (!process.stdin.isTTY)
    throw new UsageError(
      'No terminal to ask for the password: pass it on standard input with --password-stdin.',
    );
  const ask = (question: string) =>
    new Promise<string>((resolve) => {
      const rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: true });
      // Hide what is typed.
      (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => {
        if (s.includes(question)) process.stdout.write(s);
      };
      rl.question(question, (answer) => {
        rl.close();
        process.stdout.write('\n');
        resolve(answer);
      });
    });
  const first = await ask(prompt);
  const second = await ask('Repeat it: ');
  if (first !== second) throw new UsageError('The two passwords differ.');
  return first;
}

async function operatorsCommand(args: ParsedArgs): Promise<number> {
  const [, sub, username, role] = args.positionals;
  switch (sub) {
    case 'list': {
      checkOptions(args, []);
      const operators = await withDb(listOperators);
      if (operators.length === 0)
        console.log(
          'No operators yet. Create one with: npx foundups operators create --username NAME --role admin',
        );
      for (const op of operators)
        console.log(
          `${op.username.padEnd(24)} ${op.role.padEnd(9)} ${op.disabledAt ? `disabled ${op.disabledAt}` : 'active'}`,
        );
      return 0;
    }
    case 'create': {
      checkOptions(args, ['username', 'role', 'display-name', 'password-stdin']);
      const name = stringOption(args, 'username');
      const newRole = stringOption(args, 'role');
      if (!name || !newRole) throw new UsageError('operators create needs --username and --role.');
      if (!isRole(newRole))
        throw new UsageError(`--role must be viewer, reviewer or admin (got "${newRole}").`);
      const password = await readPassword(args, `Password for ${name}: `);
      const op = await withDb((db) =>
        createOperator(db, {
          username: name,
          role: newRole,
          password,
          displayName: stringOption(args, 'display-name'),
        }),
      );
      console.log(`Created ${op.role} "${op.username}".`);
      return 0;
    }
    case 'disable':
    case 'enable': {
      checkOptions(args, []);
      if (!username) throw new UsageError(`operators ${sub} needs a username.`);
      const op = await withDb((db) =>
        sub === 'disable' ? disableOperator(db, username) : enableOperator(db, username),
      );
      console.log(`${op.username} is now ${op.disabledAt ? 'disabled (its sessions are ended)' : 'active'}.`);
      return 0;
    }
    case 'set-role': {
      checkOptions(args, []);
      if (!username || !role) throw new UsageError('operators set-role needs a username and a role.');
      if (!isRole(role)) throw new UsageError(`The role must be viewer, reviewer or admin (got "${role}").`);
      const op = await withDb((db) => setOperatorRole(db, username, role));
      console.log(`${op.username} is now ${op.role}.`);
      return 0;
    }
    case 'reset-password': {
      checkOptions(args, ['password-stdin']);
      if (!username) throw new UsageError('operators reset-password needs a username.');
      const password = await readPassword(args, `New password for ${username}: `);
      await withDb((db) => resetPassword(db, username, password));
      console.log(`Password of ${username} changed; its sessions were ended.`);
      return 0;
    }
    default:
      throw new UsageError(
        'operators needs one of: list, create, disable, enable, set-role, reset-password.',
      );
  }
}

async function printSetupLink(db: Database, baseUrl: string): Promise<void> {
  const token = await issueSetupToken(db);
  if (token) {
    console.log(
      `\n  No operator exists yet. Create the first admin here (valid 24 h, one use):\n\n    ${baseUrl}/setup?token=${token}\n`,
    );
  }
}

async function seedCommand(args: ParsedArgs): Promise<number> {
  checkOptions(args, ['force', 'scale', 'posts', 'root']);
  const { seedDemo, seedScale, createDemoRoot } = await import('@/db/seed');
  const root = stringOption(args, 'root') ?? process.env.FOUNDUPS_ROOT ?? 'data/demo-root';
  const scale = intOption(args, 'scale');
  const posts = intOption(args, 'posts');
  await withDb(async (db) => {
    if (scale !== undefined || posts !== undefined) {
      const report = await seedScale(db, { events: scale ?? 0, posts, force: flag(args, 'force') });
      console.log(JSON.stringify(report));
      return;
    }
    createDemoRoot(path.resolve(root));
    const report = await seedDemo(db, { root: path.resolve(root), force: flag(args, 'force') });
    console.log(`Seeded demo data into ${describeDbConfig(readDbConfig())}: ${JSON.stringify(report)}`);
    console.log(`Demo system root: ${path.resolve(root)}`);
  });
  return 0;
}

function newestMtime(paths: readonly string[]): number {
  let newest = 0;
  const visit = (entry: string) => {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(entry);
    } catch {
      return;
    }
    if (stat.isDirectory()) {
      for (const child of fs.readdirSync(entry))
        if (child !== 'node_modules' && !child.startsWith('.')) visit(path.join(entry, child));
    } else {
      newest = Math.max(newest, stat.mtimeMs);
    }
  };
  paths.forEach(visit);
  return newest;
}

function run(command: string, commandArgs: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, commandArgs, { stdio: 'inherit', env });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('exit', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

const SOURCES = [
  'app',
  'components',
  'lib',
  'db',
  'proxy.ts',
  'instrumentation.ts',
  'next.config.ts',
  'package.json',
  'app/globals.css',
];

async function serveCommand(args: ParsedArgs, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const port = intOption(args, 'port') ?? Number(env.PORT ?? 3000);
  const nextBin = path.join('node_modules', 'next', 'dist', 'bin', 'next');
  const buildId = path.join(env.FOUNDUPS_NEXT_DIST_DIR || '.next', 'BUILD_ID');
  const built = fs.existsSync(buildId) ? fs.statSync(buildId).mtimeMs : 0;
  if (flag(args, 'rebuild') || built === 0 || newestMtime(SOURCES) > built) {
    console.log('Building the console (next build)…');
    const code = await run(process.execPath, [nextBin, 'build'], env);
    if (code !== 0) return code;
  }
  // Fail early, with one sentence, if the database cannot be opened or migrated.
  await withDb(async (db) => printSetupLink(db, `http://127.0.0.1:${port}`));
  console.log(`FoundUps Console on http://127.0.0.1:${port} (${describeDbConfig(readDbConfig(env))})`);
  return run(process.execPath, [nextBin, 'start', '-H', '127.0.0.1', '-p', String(port)], env);
}

async function demoCommand(args: ParsedArgs): Promise<number> {
  checkOptions(args, ['port', 'rebuild']);
  // The demo never touches a real database: its own file and root under data/.
  if (process.env.DATABASE_URL)
    throw new UsageError('demo uses its own SQLite file; unset DATABASE_URL first.');
  const env = {
    ...process.env,
    FOUNDUPS_DB_PATH: process.env.FOUNDUPS_DEMO_DB_PATH ?? 'data/demo.db',
    FOUNDUPS_ROOT: process.env.FOUNDUPS_ROOT ?? 'data/demo-root',
  };
  Object.assign(process.env, env);
  const { seedDemo, createDemoRoot, readMarker } = await import('@/db/seed');
  await withDb(async (db) => {
    createDemoRoot(path.resolve(env.FOUNDUPS_ROOT));
    if (!(await readMarker(db))) {
      console.log('Seeding demo data…');
      await seedDemo(db, { root: path.resolve(env.FOUNDUPS_ROOT) });
    }
  });
  return serveCommand(args, env);
}

export async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  const command = args.positionals[0];
  try {
    switch (command) {
      case undefined:
      case 'help':
      case '--help':
        console.log(
          `${HELP}${TOKENS_HELP}\n${AUDIT_HELP}\n${INGEST_HELP}\n${MIGRATE_TO_POSTGRES_HELP}\n${OPERATIONS_HELP}`,
        );
        return command === undefined ? 1 : 0;
      case 'migrate': {
        checkOptions(args, []);
        const result = await withDb(
          async (db) => {
            const { migrate } = await import('@/db/migrate');
            return migrate(db);
          },
          { migrate: false },
        );
        console.log(
          result.applied.length
            ? `Applied ${result.applied.length} migration(s): ${result.applied.join(', ')} (${describeDbConfig(readDbConfig())}).`
            : `Nothing to migrate: ${describeDbConfig(readDbConfig())} is up to date.`,
        );
        return 0;
      }
      case 'seed':
        return await seedCommand(args);
      case 'setup-link': {
        checkOptions(args, ['base-url']);
        const base = stringOption(args, 'base-url') ?? 'http://127.0.0.1:3000';
        await withDb(async (db) => {
          const token = await issueSetupToken(db);
          console.log(
            token
              ? `${base}/setup?token=${token}`
              : 'This console already has operators; use "npx foundups operators create".',
          );
        });
        return 0;
      }
      case 'operators':
        return await operatorsCommand(args);
      case 'tokens':
        return await tokensCommand(args);
      case 'audit':
        return await auditCommand(args);
      case 'ingest':
        return await ingestCommand(args);
      case 'migrate-to-postgres':
        return await migrateToPostgresCommand(args);
      case 'backup':
        return await backupCommand(args);
      case 'restore':
        return await restoreCommand(args);
      case 'retention':
        return await retentionCommand(args);
      case 'serve':
        checkOptions(args, ['port', 'rebuild']);
        return await serveCommand(args);
      case 'demo':
        return await demoCommand(args);
      default:
        throw new UsageError(`Unknown command "${command}". Run "npx foundups help".`);
    }
  } catch (error) {
    if (error instanceof ZodError) {
      console.error(`foundups: ${error.issues.map((issue) => issue.message).join(' ')}`);
      return 2;
    }
    if (
      error instanceof UsageError ||
      error instanceof ConfigError ||
      error instanceof OperatorError ||
      error instanceof PasswordPolicyError ||
      error instanceof NamespaceError ||
      error instanceof DatabaseBusyError ||
      error instanceof BackupError ||
      error instanceof RetentionError ||
      (error instanceof Error && error.name === 'SeedRefusedError')
    ) {
      console.error(`foundups: ${error.message}`);
      return error instanceof UsageError ? 2 : 1;
    }
    throw error;
  }
}
