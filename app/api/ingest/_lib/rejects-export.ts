import 'server-only';
import type { Database } from '@/db/database';
import { type RejectFilter, exportIngestRejects } from '@/lib/ingest/queries';
import { csvLine } from '@/lib/registry/export-format';

// The quarantined lines as downloads, produced page by page from the engine's keyset export (constant
// memory whatever the count): CSV for spreadsheets, JSON (one array) for tools. raw_base64 carries the
// exact bytes where raw_text cannot (invalid UTF-8, NUL).

export const REJECT_EXPORT_COLUMNS = [
  'file',
  'line_no',
  'byte_offset',
  'byte_length',
  'reason_code',
  'reason',
  'raw_text',
  'raw_base64',
  'run_id',
] as const;

export async function* rejectsCsv(
  db: Database,
  filter: RejectFilter,
  pageSize?: number,
): AsyncGenerator<string> {
  // A BOM so spreadsheet programs read the text as UTF-8.
  yield `\uFEFF${csvLine(REJECT_EXPORT_COLUMNS)}`;
  let buffer = '';
  for await (const line of exportIngestRejects(db, filter, pageSize)) {
    const record = JSON.parse(line) as Record<string, unknown>;
    buffer += csvLine(REJECT_EXPORT_COLUMNS.map((column) => record[column] ?? null));
    if (buffer.length >= 64 * 1024) {
      yield buffer;
      buffer = '';
    }
  }
  if (buffer) yield buffer;
}

export async function* rejectsJson(
  db: Database,
  filter: RejectFilter,
  pageSize?: number,
): AsyncGenerator<string> {
  let first = true;
  let buffer = '[';
  for await (const line of exportIngestRejects(db, filter, pageSize)) {
    buffer += (first ? '\n' : ',\n') + line.trimEnd();
    first = false;
    if (buffer.length >= 64 * 1024) {
      yield buffer;
      buffer = '';
    }
  }
  yield `${buffer}${first ? ']\n' : '\n]\n'}`;
}

export function rejectsFilename(filter: RejectFilter, extension: 'csv' | 'json', now = new Date()): string {
  const parts = ['ingest-rejects'];
  if (filter.runId !== undefined) parts.push(`run-${filter.runId}`);
  if (filter.fileId !== undefined) parts.push(`file-${filter.fileId}`);
  if (filter.reasonCode !== undefined) parts.push(filter.reasonCode.replace(/[^a-z_]/g, ''));
  return `${parts.join('-')}-${now.toISOString().slice(0, 19).replace(/[:T]/g, '-')}.${extension}`;
}
