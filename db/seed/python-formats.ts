/**
 * Values exactly as the Python agents write them, so the demo exercises the console's parsing of the
 * real formats rather than the console's own.
 *
 * Time formats the agents produce:
 * - `sqliteTimestamp`: SQLite's CURRENT_TIMESTAMP / datetime('now') — `YYYY-MM-DD HH:MM:SS`, UTC.
 * - `pythonIsoformat(d, 'naive')`: `datetime.now().isoformat()` — wall time without a zone,
 *   `YYYY-MM-DDTHH:MM:SS.ffffff` (no fraction at all when microsecond == 0, as Python does). The demo's
 *   agents run on a UTC clock, so these are UTC wall times: the same on every machine that seeds, and
 *   what the console assumes when it reads a naive value.
 * - `pythonIsoformat(d, 'aware')`: `datetime.now(timezone.utc).isoformat()` — `...+00:00`.
 */

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

export function sqliteTimestamp(date: Date): string {
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ${pad(date.getUTCHours())}:${pad(
    date.getUTCMinutes(),
  )}:${pad(date.getUTCSeconds())}`;
}

export type IsoKind = 'naive' | 'aware';

/**
 * `microseconds` (0–999) adds sub-millisecond digits, which a JS Date lacks; Python prints six
 * fraction digits, or none when the whole fraction is zero.
 */
export function pythonIsoformat(date: Date, kind: IsoKind, microseconds = 0): string {
  const micro = date.getUTCMilliseconds() * 1000 + (Math.trunc(microseconds) % 1000);
  const fraction = micro === 0 ? '' : `.${pad(micro, 6)}`;
  return `${sqliteTimestamp(date).replace(' ', 'T')}${fraction}${kind === 'aware' ? '+00:00' : ''}`;
}

/** The console's own format (what `Date#toISOString` gives): UTC with milliseconds and Z. */
export function consoleTimestamp(date: Date): string {
  return date.toISOString();
}

/** Marks a number Python holds as a float, so `pyJson` prints `45.0` rather than `45`. */
export class PyFloat {
  constructor(readonly value: number) {}
}

export function pyFloat(value: number, digits?: number): PyFloat {
  return new PyFloat(digits === undefined ? value : Number(value.toFixed(digits)));
}

function escapeString(text: string, ensureAscii: boolean): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const ch = text[i]!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (code < 0x20 || (ensureAscii && code > 0x7e)) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

function pythonFloatRepr(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  if (Number.isInteger(value) && Math.abs(value) < 1e16) return value.toFixed(1);
  // Python writes exponents with at least two digits (1e-07), JavaScript with one (1e-7).
  return String(value).replace(/e([+-])(\d)$/, 'e$10$2');
}

/**
 * `json.dumps(value)` with Python's defaults: `", "` and `": "` separators, `ensure_ascii=True`
 * (every non-ASCII character as `\uXXXX`, astral ones as surrogate pairs), insertion-ordered keys.
 * `ensureAscii: false` is `json.dumps(value, ensure_ascii=False)`, which some writers use.
 */
export function pyJson(value: unknown, options: { ensureAscii?: boolean } = {}): string {
  const ensureAscii = options.ensureAscii ?? true;
  const encode = (v: unknown): string => {
    if (v === null || v === undefined) return 'null';
    if (v === true) return 'true';
    if (v === false) return 'false';
    if (v instanceof PyFloat) return pythonFloatRepr(v.value);
    if (typeof v === 'number') return Number.isInteger(v) ? String(v) : pythonFloatRepr(v);
    if (typeof v === 'string') return escapeString(v, ensureAscii);
    if (Array.isArray(v)) return `[${v.map(encode).join(', ')}]`;
    if (typeof v === 'object') {
      const entries = Object.entries(v as Record<string, unknown>).filter(([, item]) => item !== undefined);
      return `{${entries.map(([key, item]) => `${escapeString(key, ensureAscii)}: ${encode(item)}`).join(', ')}}`;
    }
    throw new TypeError(`pyJson cannot encode a ${typeof v}.`);
  };
  return encode(value);
}
