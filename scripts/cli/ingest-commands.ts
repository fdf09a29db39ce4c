import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '@/db/client';
import { readDbConfig } from '@/db/config';
import type { Database } from '@/db/database';
import { auditJsonl, saveAuditReport } from '@/lib/ingest/audit';
import { type KnownDomain, DOMAIN_TABLES } from '@/lib/ingest/domains';
import { IngestUsageError, ingestJsonl } from '@/lib/ingest/ingest';
import { createProgressReporter } from '@/lib/ingest/progress';
import { formatAuditReport, formatIngestReport, formatVerifyReport } from '@/lib/ingest/report';
import { verifyIngested } from '@/lib/ingest/verify';
import { type ParsedArgs, UsageError, checkOptions, intOption, stringOption } from './args';

// `foundups audit` and `foundups ingest` (the JSONL consolidation). Reports go to stdout (text, or
// JSON with --json), progress to stderr.

export const AUDIT_HELP = `  audit [ROOT…] [--out report.json] [--top N] [--json] [--dry-run]
                                    find every *.jsonl under the roots (default $FOUNDUPS_ROOT): domain,
                                    writers, risk; stores the report for the Ingest screen (not with --dry-run)`;
export const INGEST_HELP = `  ingest FILE|ROOT… [--domain D] [--batch N] [--finalize] [--accept-rewrite] [--max-line-bytes N] [--json]
                                    move JSONL lines into their tables: resumable, idempotent, bad lines
                                    quarantined; --finalize takes an unterminated last line as complete
  ingest --verify FILE|ROOT… [--json]
                                    re-read ingested files and check every committed line against the
                                    ledger, its row and the rejects: reports lines missing, lines changed
                                    since ingest, rows changed or deleted, extra entries; exit 0 when all
                                    match, 1 when anything does not (read-only)`;

function cliActor(): string {
  let user = 'unknown';
  try {
    user = os.userInfo().username;
  } catch {
    // No passwd entry (some containers): the host still says where it ran.
  }
  return `cli:${user}@${os.hostname()}`;
}

async function withDb<T>(fn: (db: Database) => Promise<T>): Promise<T> {
  const db = await openDatabase(readDbConfig(), { create: true });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

/**
 * A flag that never takes a value. The generic parser attaches the next word to an option it does
 * not know to be boolean (`--finalize logs/a.jsonl`), so such a word goes back to the positionals.
 */
function booleanFlag(args: ParsedArgs, name: string): boolean {
  const value = args.options.get(name);
  if (value === undefined) return false;
  if (value === true || value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  args.positionals.push(value);
  args.options.set(name, true);
  return true;
}

function rootsFrom(args: ParsedArgs, command: string): string[] {
  const roots = args.positionals.slice(1);
  if (roots.length > 0) return roots;
  if (process.env.FOUNDUPS_ROOT) return [process.env.FOUNDUPS_ROOT];
  throw new UsageError(`${command} needs a folder or file (or set FOUNDUPS_ROOT).`);
}

export async function auditCommand(args: ParsedArgs): Promise<number> {
  checkOptions(args, ['out', 'top', 'json', 'dry-run']);
  const json = booleanFlag(args, 'json');
  const dryRun = booleanFlag(args, 'dry-run');
  const roots = rootsFrom(args, 'audit');
  for (const root of roots)
    if (!fs.existsSync(root)) throw new UsageError(`${root}: no such file or folder.`);
  const out = stringOption(args, 'out');
  const report = await auditJsonl(roots, { topFieldSets: intOption(args, 'top') ?? 10 });
  if (out) {
    fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
    fs.writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  }
  if (!dryRun) await withDb((db) => saveAuditReport(db, report, cliActor()));
  console.log(json ? JSON.stringify(report, null, 2) : formatAuditReport(report));
  if (!json) {
    const notes = [
      out ? `Report written to ${out}.` : null,
      dryRun ? 'Not stored (--dry-run).' : 'Stored for the Ingest screen.',
    ].filter(Boolean);
    console.log(`\n${notes.join(' ')}`);
  }
  return 0;
}

export async function ingestCommand(args: ParsedArgs): Promise<number> {
  checkOptions(args, [
    'domain',
    'batch',
    'finalize',
    'accept-rewrite',
    'max-line-bytes',
    'json',
    'root',
    'verify',
  ]);
  if (booleanFlag(args, 'verify')) return verifyCommand(args);
  const finalize = booleanFlag(args, 'finalize');
  const acceptRewrite = booleanFlag(args, 'accept-rewrite');
  const json = booleanFlag(args, 'json');
  const paths = rootsFrom(args, 'ingest');
  const domain = stringOption(args, 'domain');
  if (domain !== undefined && !(domain in DOMAIN_TABLES)) {
    throw new UsageError(
      `--domain must be one of ${Object.keys(DOMAIN_TABLES).join(', ')} (got "${domain}").`,
    );
  }
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = () => {
    interrupts += 1;
    if (interrupts > 1) process.exit(130);
    process.stderr.write(
      '\nStopping after the batch being written (Ctrl-C again to quit at once; committed batches are kept either way)…\n',
    );
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const progress = createProgressReporter(process.stderr);
  try {
    const report = await withDb((db) =>
      ingestJsonl(db, cliActor(), {
        paths,
        root: stringOption(args, 'root') ?? process.env.FOUNDUPS_ROOT ?? process.cwd(),
        domain: domain as KnownDomain | undefined,
        batchLines: intOption(args, 'batch'),
        maxLineBytes: intOption(args, 'max-line-bytes'),
        finalize,
        acceptRewrite,
        onProgress: progress.onProgress,
        signal: controller.signal,
      }),
    );
    progress.done();
    console.log(json ? JSON.stringify(report, null, 2) : formatIngestReport(report));
    if (report.status === 'interrupted') return 130;
    if (report.status === 'failed' || report.totals.changed > 0) return 1;
    return 0;
  } catch (error) {
    progress.done();
    if (error instanceof IngestUsageError) throw new UsageError(error.message);
    throw error;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

async function verifyCommand(args: ParsedArgs): Promise<number> {
  for (const option of ['domain', 'batch', 'finalize', 'accept-rewrite'])
    if (args.options.has(option)) throw new UsageError(`--${option} does not apply to --verify.`);
  const json = booleanFlag(args, 'json');
  const paths = rootsFrom(args, 'ingest --verify');
  try {
    const report = await withDb((db) =>
      verifyIngested(db, paths, {
        root: stringOption(args, 'root') ?? process.env.FOUNDUPS_ROOT ?? process.cwd(),
        maxLineBytes: intOption(args, 'max-line-bytes'),
      }),
    );
    console.log(json ? JSON.stringify(report, null, 2) : formatVerifyReport(report));
    return report.ok ? 0 : 1;
  } catch (error) {
    if (error instanceof IngestUsageError) throw new UsageError(error.message);
    throw error;
  }
}
