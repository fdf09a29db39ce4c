import { type ParsedArgs, UsageError, checkOptions, flag, intOption, stringOption } from './args';
import {
  formatComparison,
  migrateSqliteToPostgres,
  verifySqliteAgainstPostgres,
} from './migrate-to-postgres';

export const MIGRATE_TO_POSTGRES_HELP = `  migrate-to-postgres --from FILE --to postgres://… [--schema NAME] [--force] [--batch N] [--skip T1,T2]
                                    copy a SQLite database into PostgreSQL (PostgreSQL migrations
                                    first, one transaction), then compare row counts and SHA-256
                                    checksums of every table; refuses a target with data unless --force
  migrate-to-postgres --from FILE --to postgres://… --verify-only
                                    compare again later, writing nothing`;

export async function migrateToPostgresCommand(args: ParsedArgs): Promise<number> {
  checkOptions(args, ['from', 'to', 'schema', 'force', 'batch', 'skip', 'verify-only']);
  const from = stringOption(args, 'from');
  const to = stringOption(args, 'to');
  if (!from || !to)
    throw new UsageError('migrate-to-postgres needs --from <sqlite file> and --to <postgres url>.');
  const batch = intOption(args, 'batch');
  if (batch === 0) throw new UsageError('--batch must be at least 1.');
  const skip = stringOption(args, 'skip')
    ?.split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const schema = stringOption(args, 'schema');
  const report = flag(args, 'verify-only')
    ? await verifySqliteAgainstPostgres({ from, to, schema, skip })
    : await migrateSqliteToPostgres({
        from,
        to,
        schema,
        force: flag(args, 'force'),
        batchSize: batch,
        skip,
        log: (line) => console.log(line),
      });
  console.log(formatComparison(report));
  return report.ok ? 0 : 1;
}
