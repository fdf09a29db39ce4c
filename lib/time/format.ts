/**
 * Timestamps in the shared database come in several text forms:
 * - Python's CURRENT_TIMESTAMP: `YYYY-MM-DD HH:MM:SS` (UTC)
 * - Python's datetime.now().isoformat(): `YYYY-MM-DDTHH:MM:SS.ffffff` (local, naive)
 * - agents' ISO strings with an offset (`+00:00`) and the console's own `YYYY-MM-DDTHH:MM:SS.sssZ` (UTC)
 * Naive values are read as UTC: the agents' CURRENT_TIMESTAMP is UTC and the console cannot know the
 * writer's local zone.
 */
const PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

export function parseDbTime(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if (typeof value === 'number') {
    // Epoch seconds or milliseconds.
    const ms = value < 1e12 ? value * 1000 : value;
    const date = new Date(ms);
    return Number.isNaN(date.getTime()) ? null : date;
  }
  if (typeof value !== 'string') return null;
  const match = PATTERN.exec(value.trim());
  if (!match) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '0', zone] = match;
  const fields = [Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)] as const;
  const civil = new Date(Date.UTC(...fields, Number(frac.padEnd(3, '0').slice(0, 3))));
  // Date.UTC rolls 2025-02-30 over into March: an impossible date or time is not a time.
  const back = [
    civil.getUTCFullYear(),
    civil.getUTCMonth(),
    civil.getUTCDate(),
    civil.getUTCHours(),
    civil.getUTCMinutes(),
    civil.getUTCSeconds(),
  ];
  if (fields.some((field, i) => field !== back[i])) return null;
  let ms = civil.getTime();
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.replace(/[+:-]/g, '');
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
  }
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** The console's own write format: UTC ISO-8601 with milliseconds and Z. */
export function nowIso(now: Date = new Date()): string {
  return now.toISOString();
}

/** SQLite's CURRENT_TIMESTAMP form (UTC), used to compare against Python's created_at values. */
export function toSqliteTimestamp(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

export function formatAge(from: Date, now: Date = new Date()): string {
  const seconds = Math.max(0, Math.round((now.getTime() - from.getTime()) / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h`;
  return `${Math.floor(hours / 24)}d`;
}

export function formatDateTime(date: Date | null): string {
  if (!date) return '—';
  return date.toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
}
