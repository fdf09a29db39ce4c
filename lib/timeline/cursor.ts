import { z } from 'zod';

// A position in the timeline's total order (key DESC, source ASC, primary key DESC), and its opaque
// URL form: base64url of a small JSON object. Pages continue strictly after a position, so equal
// timestamps never cause gaps or repeats however the rows are spread over pages.

export interface TimelinePosition {
  /** The event's time key (lib/timeline/time.ts). */
  key: string;
  /** Source id. */
  source: string;
  /** Primary key (a number for integer keys). */
  pk: string | number;
}

export class InvalidCursorError extends Error {
  override name = 'InvalidCursorError';
  constructor() {
    super(
      'The timeline position in the link is not valid (it may be cut off or edited); start again from the newest events.',
    );
  }
}

const MAX_CURSOR_LENGTH = 2048;

const positionSchema = z.object({
  // Any key a row can have: its time passed isoLikeSql (characters 5 and 8 are '-'), digits or not.
  k: z
    .string()
    .regex(/^[^]{4}-[^]{2}-/)
    .max(64),
  s: z.string().min(1).max(140),
  p: z.union([z.string().max(1000), z.number().int().safe()]),
});

export function encodeCursor(position: TimelinePosition): string {
  return Buffer.from(
    JSON.stringify({ k: position.key, s: position.source, p: position.pk }),
    'utf8',
  ).toString('base64url');
}

/** The position of a cursor; throws InvalidCursorError for anything that is not one. */
export function decodeCursor(cursor: string): TimelinePosition {
  if (
    typeof cursor !== 'string' ||
    cursor.length === 0 ||
    cursor.length > MAX_CURSOR_LENGTH ||
    !/^[A-Za-z0-9_-]+$/.test(cursor)
  )
    throw new InvalidCursorError();
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  const parsed = positionSchema.safeParse(value);
  if (!parsed.success) throw new InvalidCursorError();
  return { key: parsed.data.k, source: parsed.data.s, pk: parsed.data.p };
}

/** Total order of positions: negative when `a` comes first in the list (is newer). */
export function comparePositions(a: TimelinePosition, b: TimelinePosition): number {
  if (a.key !== b.key) return a.key > b.key ? -1 : 1;
  if (a.source !== b.source) return a.source < b.source ? -1 : 1;
  if (typeof a.pk === 'number' && typeof b.pk === 'number') return b.pk - a.pk;
  const pa = String(a.pk);
  const pb = String(b.pk);
  return pa === pb ? 0 : pa > pb ? -1 : 1;
}
