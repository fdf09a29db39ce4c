import { type Database, sql } from '@/db/database';
import { type JobRecord, getJob, latestJobs } from '@/lib/registry/jobs';
import { nowIso } from '@/lib/time/format';
import type { DeclaredSatellite, FileStatus, SatelliteTable, ScannedFile } from './inventory';

/** Reads and writes of the declared satellites and of scan results (modules_console_satellite*). */

interface DeclaredRow {
  id: number;
  pattern: string;
  owner: string;
  rationale: string;
  phase: number | null;
  plan: string | null;
  updated_by: string;
  updated_at: string;
}

function toDeclared(row: DeclaredRow): DeclaredSatellite {
  return {
    id: Number(row.id),
    pattern: row.pattern,
    owner: row.owner,
    rationale: row.rationale,
    phase: row.phase === null ? null : Number(row.phase),
    plan: row.plan,
    updatedBy: row.updated_by,
    updatedAt: row.updated_at,
  };
}

export async function listDeclared(db: Database): Promise<DeclaredSatellite[]> {
  const rows = await db.all<DeclaredRow>(
    sql`SELECT id, pattern, owner, rationale, phase, plan, updated_by, updated_at FROM modules_console_satellites ORDER BY pattern`,
  );
  return rows.map(toDeclared);
}

export interface DeclaredInput {
  pattern: string;
  owner: string;
  rationale: string;
  phase: number | null;
  plan: string | null;
}

export class DeclaredConflictError extends Error {
  override name = 'DeclaredConflictError';
}

function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return (
    e?.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    e?.code === '23505' ||
    /UNIQUE constraint failed|duplicate key/i.test(e?.message ?? '')
  );
}

function activity(actor: string, action: string, target: string, detail: unknown) {
  return sql`INSERT INTO modules_console_activity (at, actor, action, target, detail_json) VALUES (${nowIso()}, ${`operator:${actor}`}, ${action}, ${target}, ${JSON.stringify(detail)})`;
}

/** Declares a satellite; the change and its activity record are one transaction. */
export async function createDeclared(
  db: Database,
  input: DeclaredInput,
  actor: string,
): Promise<DeclaredSatellite> {
  const at = nowIso();
  try {
    const [inserted] = await db.transaction([
      sql`INSERT INTO modules_console_satellites (pattern, owner, rationale, phase, plan, created_by, created_at, updated_by, updated_at)
          VALUES (${input.pattern}, ${input.owner}, ${input.rationale}, ${input.phase}, ${input.plan}, ${actor}, ${at}, ${actor}, ${at})
          RETURNING id, pattern, owner, rationale, phase, plan, updated_by, updated_at`,
      activity(actor, 'satellite.declare', input.pattern, input),
    ]);
    return toDeclared(inserted!.rows[0] as unknown as DeclaredRow);
  } catch (error) {
    if (isUniqueViolation(error))
      throw new DeclaredConflictError(`A satellite with the pattern ${input.pattern} is already declared.`);
    throw error;
  }
}

/** Updates when the row still has `expectedUpdatedAt` (someone else's edit is not overwritten). */
export async function updateDeclared(
  db: Database,
  id: number,
  input: DeclaredInput,
  actor: string,
  expectedUpdatedAt: string,
): Promise<DeclaredSatellite | null> {
  try {
    const [updated] = await db.transaction([
      sql`UPDATE modules_console_satellites SET pattern = ${input.pattern}, owner = ${input.owner}, rationale = ${input.rationale}, phase = ${input.phase},
            plan = ${input.plan}, updated_by = ${actor}, updated_at = ${nowIso()}
          WHERE id = ${id} AND updated_at = ${expectedUpdatedAt}
          RETURNING id, pattern, owner, rationale, phase, plan, updated_by, updated_at`,
      (results) =>
        results[0]!.rows.length ? activity(actor, 'satellite.update', input.pattern, { id, ...input }) : null,
    ]);
    const row = updated!.rows[0] as unknown as DeclaredRow | undefined;
    return row ? toDeclared(row) : null;
  } catch (error) {
    if (isUniqueViolation(error))
      throw new DeclaredConflictError(`A satellite with the pattern ${input.pattern} is already declared.`);
    throw error;
  }
}

export async function deleteDeclared(db: Database, id: number, actor = 'system'): Promise<boolean> {
  const [deleted] = await db.transaction([
    sql`DELETE FROM modules_console_satellites WHERE id = ${id} RETURNING pattern`,
    (results) => {
      const row = results[0]!.rows[0] as { pattern: string } | undefined;
      return row ? activity(actor, 'satellite.delete', row.pattern, { id }) : null;
    },
  ]);
  return (deleted?.rows.length ?? 0) > 0;
}

interface FileRow {
  file_key: string;
  root: string;
  rel_path: string;
  size_bytes: number;
  modified_at: string;
  status: string;
  access: string | null;
  journal_mode: string | null;
  wal_present: number;
  is_chroma: number;
  page_size: number | null;
  tables_json: string | null;
  error: string | null;
  inspect_ms: number | null;
}

function parseTables(text: string | null): SatelliteTable[] {
  if (!text) return [];
  try {
    const parsed = JSON.parse(text) as SatelliteTable[];
    return Array.isArray(parsed) ? parsed : [];
  } catch {
    return [];
  }
}

function toScannedFile(row: FileRow): ScannedFile {
  return {
    fileKey: row.file_key,
    root: row.root,
    relPath: row.rel_path,
    sizeBytes: Number(row.size_bytes),
    modifiedAt: row.modified_at,
    status: row.status as FileStatus,
    access: row.access,
    journalMode: row.journal_mode === 'wal' || row.journal_mode === 'rollback' ? row.journal_mode : null,
    walPresent: Number(row.wal_present) === 1,
    isChroma: Number(row.is_chroma) === 1,
    pageSize: row.page_size === null ? null : Number(row.page_size),
    tables: parseTables(row.tables_json),
    error: row.error,
    inspectMs: row.inspect_ms === null ? null : Number(row.inspect_ms),
  };
}

export async function recordScannedFile(db: Database, scanId: number, file: ScannedFile): Promise<void> {
  await db.run(
    sql`INSERT INTO modules_console_satellite_files (scan_id, file_key, root, rel_path, size_bytes, modified_at, status, access, journal_mode, wal_present, is_chroma, page_size, tables_json, error, inspect_ms)
        VALUES (${scanId}, ${file.fileKey}, ${file.root}, ${file.relPath}, ${file.sizeBytes}, ${file.modifiedAt}, ${file.status}, ${file.access}, ${file.journalMode},
                ${file.walPresent ? 1 : 0}, ${file.isChroma ? 1 : 0}, ${file.pageSize}, ${JSON.stringify(file.tables)}, ${file.error}, ${file.inspectMs})
        ON CONFLICT (scan_id, file_key) DO NOTHING`,
  );
}

export async function scanFiles(db: Database, scanId: number): Promise<ScannedFile[]> {
  const rows = await db.all<FileRow>(
    sql`SELECT file_key, root, rel_path, size_bytes, modified_at, status, access, journal_mode, wal_present, is_chroma, page_size, tables_json, error, inspect_ms
        FROM modules_console_satellite_files WHERE scan_id = ${scanId} ORDER BY root, rel_path`,
  );
  return rows.map(toScannedFile);
}

/** The newest scan job (running or finished), or null before the first scan. */
export async function latestScan(db: Database): Promise<JobRecord | null> {
  const [latest] = await latestJobs(db, ['satellite_scan'], 1);
  return latest ?? null;
}

/** The newest scan that finished (its results are the inventory while a new scan runs). */
export async function latestCompletedScan(db: Database): Promise<JobRecord | null> {
  const row = await db.get<{ id: number }>(
    sql`SELECT max(id) AS id FROM modules_console_registry_jobs WHERE kind = 'satellite_scan' AND status = 'done'`,
  );
  return row?.id ? getJob(db, Number(row.id)) : null;
}

/** The most recent record of one file (by its key) from any scan. */
export async function findScannedFile(db: Database, fileKey: string): Promise<ScannedFile | null> {
  if (!/^[0-9a-f]{16}$/.test(fileKey)) return null;
  const row = await db.get<FileRow>(
    sql`SELECT file_key, root, rel_path, size_bytes, modified_at, status, access, journal_mode, wal_present, is_chroma, page_size, tables_json, error, inspect_ms
        FROM modules_console_satellite_files WHERE file_key = ${fileKey} ORDER BY scan_id DESC LIMIT 1`,
  );
  return row ? toScannedFile(row) : null;
}
