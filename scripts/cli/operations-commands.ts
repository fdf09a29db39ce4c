import path from 'node:path';
import { openDatabase } from '@/db/client';
import { readDbConfig } from '@/db/config';
import type { Database } from '@/db/database';
import {
  BACKUP_METHODS,
  type BackupMethod,
  type BackupProgress,
  BackupError,
  backupDirectory,
  createBackup,
  pgDumpHint,
  restoreBackup,
} from '@/lib/operations/backup';
import { formatBytes } from '@/lib/format/numbers';
import {
  RetentionError,
  type RetentionPlan,
  executeRetention,
  planRetention,
  retentionArchiveDirectory,
} from '@/lib/operations/retention';
import { type ParsedArgs, UsageError, checkOptions, flag, intOption, stringOption } from './args';

export const OPERATIONS_HELP = `  backup [--to DIR] [--keep N] [--method vacuum-into|backup-api]
                                    online, verified copy of the SQLite database into DIR (default
                                    FOUNDUPS_BACKUP_DIR or data/backups), keeping the newest N
  restore FILE [--force]            replace the database with a verified backup; refuses while the
                                    console or agents hold it unless --force; keeps the replaced file
  retention [--dry-run | --execute] what the retention policies would delete (default: --dry-run),
                                    or archive those rows to .jsonl.gz and delete them
`;

export { BackupError, RetentionError };

function progressPrinter(): (p: BackupProgress) => void {
  const tty = process.stderr.isTTY;
  let lastTenth = -1;
  let lastPhase = '';
  return (p) => {
    if (p.phase === 'copying') {
      const percent = Math.floor(p.fraction * 100);
      if (tty) {
        process.stderr.write(
          `\r  copying ${String(percent).padStart(3)}%  ${formatBytes(p.copiedBytes)} of ${formatBytes(p.totalBytes)}   `,
        );
      } else if (Math.floor(percent / 10) > lastTenth) {
        lastTenth = Math.floor(percent / 10);
        process.stderr.write(`  copying ${percent}%\n`);
      }
      return;
    }
    if (p.phase !== lastPhase) {
      if (tty && lastPhase === 'copying') process.stderr.write('\n');
      if (p.phase !== 'done') process.stderr.write(`  ${p.phase}…\n`);
      lastPhase = p.phase;
    }
  };
}

async function withDb<T>(fn: (db: Database) => Promise<T>): Promise<T> {
  const db = await openDatabase(readDbConfig(), { create: false });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

export async function backupCommand(args: ParsedArgs): Promise<number> {
  checkOptions(args, ['to', 'keep', 'method']);
  const keep = intOption(args, 'keep');
  if (keep === 0) throw new UsageError('--keep must be at least 1.');
  const method = (stringOption(args, 'method') ?? 'vacuum-into') as BackupMethod;
  if (!BACKUP_METHODS.includes(method))
    throw new UsageError(`--method must be ${BACKUP_METHODS.join(' or ')} (got "${method}").`);
  const config = readDbConfig();
  if (config.dialect !== 'sqlite')
    throw new BackupError(`The console backs up SQLite files only. For PostgreSQL run: ${pgDumpHint()}`);
  const to = stringOption(args, 'to');
  const directory = to ? path.resolve(to) : backupDirectory();
  console.error(`Backing up ${config.path} into ${directory} (${method})…`);
  const result = await withDb((db) =>
    createBackup(db, {
      directory,
      keep,
      method,
      startedBy: `cli:${process.env.USER ?? 'unknown'}`,
      onProgress: progressPrinter(),
    }),
  );
  console.log(
    `Backup ${result.file}: ${formatBytes(result.sizeBytes)} in ${(result.durationMs / 1000).toFixed(1)} s, integrity_check ${result.integrity}, sha256 ${result.sha256}.`,
  );
  if (result.pruned.length)
    console.log(`Deleted ${result.pruned.length} older backup(s): ${result.pruned.join(', ')}.`);
  return 0;
}

export async function restoreCommand(args: ParsedArgs): Promise<number> {
  checkOptions(args, ['force']);
  const file = args.positionals[1];
  if (!file) throw new UsageError('restore needs the backup file: foundups restore FILE [--force].');
  const config = readDbConfig();
  if (config.dialect !== 'sqlite')
    throw new BackupError(
      'The console restores SQLite files only. For PostgreSQL use pg_restore --clean --dbname "$DATABASE_URL" FILE.',
    );
  const result = await restoreBackup(path.resolve(file), {
    target: config.path,
    force: flag(args, 'force'),
    onStep: (message) => console.error(`  ${message}`),
  });
  if (result.forcedPast.length) console.error(`  Forced past: ${result.forcedPast.join('; ')}.`);
  console.log(
    `Restored ${path.basename(file)} (integrity_check ok, sha256 ${result.verification.sha256}) into ${result.restored}.`,
  );
  if (result.replacedFile)
    console.log(
      `The replaced database is kept as ${result.replacedFile}${result.movedSidecars.length ? ` (with ${result.movedSidecars.map((f) => path.basename(f)).join(', ')})` : ''}.`,
    );
  return 0;
}

function printPlan(plans: RetentionPlan[]): void {
  if (plans.length === 0) {
    console.log('No enabled retention policies. Add one on the Retention screen.');
    return;
  }
  for (const plan of plans)
    console.log(
      `${plan.source.padEnd(14)} ${plan.table.padEnd(28)} keep ${String(plan.keepDays).padStart(4)} d  before ${plan.cutoff.slice(0, 19)}  ${String(plan.rows).padStart(10)} row(s)${plan.rows ? `  → ${plan.archivePath}` : ''}`,
    );
}

export async function retentionCommand(args: ParsedArgs): Promise<number> {
  checkOptions(args, ['dry-run', 'execute', 'source']);
  const execute = flag(args, 'execute');
  if (execute && flag(args, 'dry-run')) throw new UsageError('Choose one of --dry-run and --execute.');
  const source = stringOption(args, 'source');
  const by = `cli:${process.env.USER ?? 'unknown'}`;
  return withDb(async (db) => {
    const directory = retentionArchiveDirectory();
    const plans = await planRetention(db, { source, directory, recordedBy: by });
    if (!execute) {
      console.log('Dry run (nothing deleted):');
      printPlan(plans);
      if (plans.some((plan) => plan.rows > 0))
        console.log('Run with --execute to archive and delete these rows.');
      return 0;
    }
    printPlan(plans);
    for (const plan of plans) {
      if (plan.rows === 0) continue;
      const result = await executeRetention(db, plan, {
        startedBy: by,
        onProgress: (done) => {
          if (process.stderr.isTTY)
            process.stderr.write(`\r  ${plan.source}: ${done} of ~${plan.rows} row(s) archived and deleted`);
        },
      });
      if (process.stderr.isTTY) process.stderr.write('\n');
      console.log(
        `${plan.source}: archived and deleted ${result.rowsDeleted} row(s) into ${result.archivePath} (${formatBytes(result.archiveBytes)}, sha256 ${result.archiveSha256}).`,
      );
    }
    return 0;
  });
}
