import { formatDateTime, parseDbTime } from '@/lib/time/format';

// Small formatters shared by the Ingest screen's server and client components.

const INTEGER = new Intl.NumberFormat('en-US');

export const count = (n: number) => INTEGER.format(n);

export function formatWhen(value: string | null): string {
  return formatDateTime(parseDbTime(value));
}

/** 0:07, 12:03, 1:02:03 */
export function formatClock(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '—';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

/** 850 ms, 4.2 s, 3 min 12 s, 1 h 4 min */
export function formatDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export function percent(fraction: number): string {
  const value = Math.max(0, Math.min(1, fraction)) * 100;
  return `${value >= 99.95 || value === 0 ? value.toFixed(0) : value.toFixed(1)}%`;
}

export const DOMAIN_LABELS: Record<string, string> = {
  permissions: 'Permissions',
  confidence: 'Confidence',
  chat: 'Chat',
  browser_sessions: 'Browser sessions',
  daemon_health: 'Daemon health',
  errors: 'Errors',
  metrics: 'Metrics',
  unknown: 'Unknown domain',
};

/** The domains a file can be ingested as (lib/ingest/domains.ts's DOMAIN_TABLES keys; a test keeps them equal). */
export const DOMAIN_OPTIONS = [
  'permissions',
  'confidence',
  'chat',
  'browser_sessions',
  'daemon_health',
  'errors',
  'metrics',
] as const;

export const domainLabel = (domain: string) => DOMAIN_LABELS[domain] ?? domain;
