import { isBase64Value } from './values';

/**
 * CSV and JSON text for exports, produced batch by batch so a response can stream it.
 *
 * CSV (RFC 4180, CRLF): a text field a spreadsheet would run as a formula — one starting with =, +, -,
 * @, tab or carriage return — gets a leading apostrophe (OWASP's "CSV injection" advice); fields with
 * a comma, quote or line break are quoted with quotes doubled. NULL is an empty field; BLOBs are
 * written as `base64:<data>`. JSON: one array of objects; BLOBs as { "$base64": "…" }.
 */

export type ExportFormat = 'csv' | 'json';

export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text: string;
  if (isBase64Value(value)) text = `base64:${value.$base64}`;
  else if (typeof value === 'string') {
    text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  } else if (typeof value === 'object') text = JSON.stringify(value);
  else text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine(values: readonly unknown[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

export async function* csvChunks(
  columns: readonly string[],
  batches: AsyncIterable<unknown[][]>,
): AsyncGenerator<string> {
  // A BOM so spreadsheet programs read the UTF-8 text as UTF-8.
  yield `\uFEFF${csvLine(columns)}`;
  for await (const rows of batches) yield rows.map(csvLine).join('');
}

export async function* jsonChunks(
  columns: readonly string[],
  batches: AsyncIterable<unknown[][]>,
): AsyncGenerator<string> {
  let first = true;
  yield '[';
  for await (const rows of batches) {
    const text = rows
      .map((row) => JSON.stringify(Object.fromEntries(columns.map((column, i) => [column, row[i] ?? null]))))
      .join(',\n');
    if (text) {
      yield (first ? '\n' : ',\n') + text;
      first = false;
    }
  }
  yield first ? ']\n' : '\n]\n';
}

/** A pull-based byte stream: the next chunk is produced only when the client has read the previous one. */
export function textStream(chunks: AsyncGenerator<string>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      } catch (error) {
        controller.error(error);
      }
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
}

export function exportFilename(base: string, extension: ExportFormat | 'md', now = new Date()): string {
  const safe = base.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80) || 'export';
  return `${safe}-${now.toISOString().slice(0, 19).replace(/[:T]/g, '-')}.${extension}`;
}
