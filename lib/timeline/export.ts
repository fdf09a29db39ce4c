import type { Database } from '@/db/database';
import type { TimelineFilters } from './branches';
import { type TimelineEvent, getTimelinePage } from './list';

// Export of the filtered list: pages read with the list's own cursor (so the rows are exactly the
// list's, in its order, however many there are) and serialised as they arrive, for a streamed
// response: `new Response(ReadableStream.from(timelineCsv(exportTimeline(db, filters))))`.

export const EXPORT_PAGE_SIZE = 500;

/** The filtered timeline, newest first, one page of events at a time. */
export async function* exportTimeline(
  db: Database,
  filters: TimelineFilters,
  options: { pageSize?: number } = {},
): AsyncGenerator<TimelineEvent[]> {
  let cursor: string | null = null;
  do {
    const page = await getTimelinePage(db, filters, { cursor, limit: options.pageSize ?? EXPORT_PAGE_SIZE });
    if (page.events.length > 0) yield page.events;
    cursor = page.nextCursor;
  } while (cursor);
}

/** Columns of an exported event, in file order. */
export const EXPORT_COLUMNS = [
  'at',
  'time',
  'source',
  'id',
  'module',
  'actor',
  'type',
  'severity',
  'summary',
] as const satisfies readonly (keyof TimelineEvent)[];

/**
 * One CSV field (RFC 4180): text a spreadsheet would run as a formula (leading =, +, -, @, tab or CR)
 * gets a leading apostrophe; fields with a comma, quote, CR or LF are quoted with quotes doubled.
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'string' ? value : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvRow(values: readonly unknown[]): string {
  return values.map(csvField).join(',') + '\r\n';
}

/** CSV text chunks (header first, then one chunk per page). */
export async function* timelineCsv(pages: AsyncIterable<TimelineEvent[]>): AsyncGenerator<string> {
  yield csvRow(EXPORT_COLUMNS);
  for await (const events of pages)
    yield events.map((event) => csvRow(EXPORT_COLUMNS.map((column) => event[column]))).join('');
}

/** JSON text chunks forming one array of events (the exported columns only). */
export async function* timelineJson(pages: AsyncIterable<TimelineEvent[]>): AsyncGenerator<string> {
  let first = true;
  yield '[';
  for await (const events of pages) {
    const chunk = events
      .map((event) =>
        JSON.stringify(Object.fromEntries(EXPORT_COLUMNS.map((column) => [column, event[column]]))),
      )
      .join(',\n');
    yield (first ? '\n' : ',\n') + chunk;
    first = false;
  }
  yield first ? ']\n' : '\n]\n';
}
