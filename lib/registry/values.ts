/**
 * How cell values travel to the browser and into exports, the same for every engine (the SQLite
 * worker applies the same rules in sqlite-worker.mjs):
 * - display: BLOBs as { $blob: bytes } (size only), text longer than the limit as { $text, length },
 *   integers beyond 2^53 as exact strings;
 * - export: everything, BLOBs as { $base64 }.
 */

export const DISPLAY_TEXT_LIMIT = 10_000;

export interface BlobValue {
  $blob: number;
}

export interface TruncatedText {
  $text: string;
  length: number;
}

export interface Base64Value {
  $base64: string;
}

export function isBlobValue(value: unknown): value is BlobValue {
  return typeof value === 'object' && value !== null && typeof (value as BlobValue).$blob === 'number';
}

export function isTruncatedText(value: unknown): value is TruncatedText {
  return typeof value === 'object' && value !== null && typeof (value as TruncatedText).$text === 'string';
}

export function isBase64Value(value: unknown): value is Base64Value {
  return typeof value === 'object' && value !== null && typeof (value as Base64Value).$base64 === 'string';
}

function plain(value: unknown): unknown {
  if (typeof value === 'bigint')
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(value)
      : value.toString();
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  return value;
}

function isBytes(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array;
}

export function displayValue(value: unknown, textLimit = DISPLAY_TEXT_LIMIT): unknown {
  if (value === undefined) return null;
  if (isBytes(value)) return { $blob: value.byteLength } satisfies BlobValue;
  let out = plain(value);
  // PostgreSQL json/jsonb and arrays arrive parsed: show them as the JSON text they are.
  if (typeof out === 'object' && out !== null) out = JSON.stringify(out);
  if (typeof out === 'string' && out.length > textLimit)
    return { $text: out.slice(0, textLimit), length: out.length } satisfies TruncatedText;
  return out;
}

export function exportValue(value: unknown): unknown {
  if (value === undefined) return null;
  if (isBytes(value)) return { $base64: Buffer.from(value).toString('base64') } satisfies Base64Value;
  const out = plain(value);
  if (typeof out === 'object' && out !== null && !isBase64Value(out)) return JSON.stringify(out);
  return out;
}
