import { type Database, type Row, sql } from '@/db/database';
import { POSTS_TABLE } from './post-records';

// "Possible duplicates" in the focus view: approved or posted posts whose text is the same or nearly
// the same as this one's, so the reviewer does not publish the same reply twice.
//
// Kept cheap on a large table: SQL picks a bounded candidate set through indexes (the same identity's
// recent decided posts, posts to the same target URL, and the most recent decided posts overall), and
// the comparison happens here. A near-copy outside those sets is not found; that is the trade-off.

export const NEAR_DUPLICATE_THRESHOLD = 0.8;
export const DUPLICATE_STATUSES = ['approved', 'posted'] as const;
const PER_IDENTITY = 200;
const PER_TARGET = 50;
const RECENT_PER_STATUS = 150;
const EXCERPT_LENGTH = 200;

/** Lower-case, NFKC, punctuation and symbols (incl. emoji) dropped, whitespace collapsed. */
export function normaliseForDuplicates(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\p{P}\p{S}]+/gu, ' ')
    .replace(/\s+/gu, ' ')
    .trim();
}

export function tokenSet(normalised: string): Set<string> {
  return new Set(normalised.split(' ').filter(Boolean));
}

/** |A ∩ B| / |A ∪ B|; two empty sets are not similar (nothing to compare). */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const token of small) if (large.has(token)) shared += 1;
  return shared / (a.size + b.size - shared);
}

export interface DuplicateComparison {
  exact: boolean;
  similarity: number;
}

/** A text prepared once for many comparisons. */
export interface DuplicateFingerprint {
  raw: string;
  normalised: string;
  tokens: Set<string>;
}

export function fingerprintForDuplicates(text: string): DuplicateFingerprint {
  const normalised = normaliseForDuplicates(text);
  return { raw: text.trim(), normalised, tokens: tokenSet(normalised) };
}

function compareFingerprints(a: DuplicateFingerprint, b: DuplicateFingerprint): DuplicateComparison {
  // Only punctuation/emoji: normalisation leaves nothing, so fall back to the raw text.
  if (!a.normalised || !b.normalised) {
    const exact = a.raw !== '' && a.raw === b.raw;
    return { exact, similarity: exact ? 1 : 0 };
  }
  if (a.normalised === b.normalised) return { exact: true, similarity: 1 };
  return { exact: false, similarity: jaccard(a.tokens, b.tokens) };
}

/** Compares two texts: exact after normalisation, or their token-set Jaccard similarity. */
export function compareForDuplicates(a: string, b: string): DuplicateComparison {
  return compareFingerprints(fingerprintForDuplicates(a), fingerprintForDuplicates(b));
}

/** The first characters (whole code points, so an emoji is never cut in half). */
function excerptOf(content: string): string {
  const chars = Array.from(content);
  return chars.length > EXCERPT_LENGTH ? `${chars.slice(0, EXCERPT_LENGTH).join('')}…` : content;
}

export interface PossibleDuplicate {
  postId: string;
  status: string;
  platform: string;
  identity: string | null;
  targetUrl: string | null;
  createdAt: string | null;
  excerpt: string;
  exact: boolean;
  /** 0..1 (1 for exact). */
  similarity: number;
}

export interface DuplicateSubject {
  postId: string;
  content: string;
  identity: string | null;
  targetUrl: string | null;
}

const CANDIDATE_COLUMNS = sql.raw('post_id, status, platform, identity, target_url, created_at, content');

export async function findPossibleDuplicates(
  db: Database,
  subject: DuplicateSubject,
  options: { limit?: number; threshold?: number } = {},
): Promise<PossibleDuplicate[]> {
  const limit = options.limit ?? 10;
  const threshold = options.threshold ?? NEAR_DUPLICATE_THRESHOLD;
  const queries: Promise<Row[]>[] = [];
  // One status per query, so each is an ordered range scan of (status, created_at) with a LIMIT.
  for (const status of DUPLICATE_STATUSES) {
    queries.push(
      db.all(
        sql`SELECT ${CANDIDATE_COLUMNS} FROM ${POSTS_TABLE} WHERE status = ${status} AND post_id <> ${subject.postId}
            ORDER BY created_at DESC LIMIT ${RECENT_PER_STATUS}`,
      ),
    );
    if (subject.identity !== null) {
      queries.push(
        db.all(
          sql`SELECT ${CANDIDATE_COLUMNS} FROM ${POSTS_TABLE} WHERE identity = ${subject.identity} AND status = ${status} AND post_id <> ${subject.postId}
              ORDER BY created_at DESC LIMIT ${PER_IDENTITY}`,
        ),
      );
    }
  }
  if (subject.targetUrl !== null) {
    queries.push(
      db.all(
        sql`SELECT ${CANDIDATE_COLUMNS} FROM ${POSTS_TABLE} WHERE target_url = ${subject.targetUrl} AND status IN (${sql.join(
          DUPLICATE_STATUSES.map((s) => sql`${s}`),
          sql`, `,
        )}) AND post_id <> ${subject.postId} LIMIT ${PER_TARGET}`,
      ),
    );
  }
  const seen = new Map<string, Row>();
  for (const rows of await Promise.all(queries)) for (const row of rows) seen.set(String(row.post_id), row);

  const found: PossibleDuplicate[] = [];
  const subjectPrint = fingerprintForDuplicates(subject.content);
  for (const row of seen.values()) {
    const content = String(row.content ?? '');
    const { exact, similarity } = compareFingerprints(subjectPrint, fingerprintForDuplicates(content));
    if (!exact && similarity < threshold) continue;
    found.push({
      postId: String(row.post_id),
      status: String(row.status),
      platform: String(row.platform),
      identity: row.identity === null || row.identity === undefined ? null : String(row.identity),
      targetUrl: row.target_url === null || row.target_url === undefined ? null : String(row.target_url),
      createdAt: row.created_at === null || row.created_at === undefined ? null : String(row.created_at),
      excerpt: excerptOf(content),
      exact,
      similarity,
    });
  }
  return found
    .toSorted(
      (a, b) =>
        Number(b.exact) - Number(a.exact) ||
        b.similarity - a.similarity ||
        String(b.createdAt).localeCompare(String(a.createdAt)),
    )
    .slice(0, limit);
}
