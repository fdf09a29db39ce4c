import path from 'node:path';
import { parseDbTime } from '@/lib/time/format';

// Which consolidated table a JSONL file belongs to (decided from its path and its records' fields,
// with the reason in words), and how one record becomes one row of that table: typed columns for the
// common fields, and the complete original line, exactly as written, in the table's JSON column, so
// the migration loses nothing even where the columns cannot hold a field.

export const INGEST_DOMAINS = [
  'permissions',
  'confidence',
  'chat',
  'browser_sessions',
  'daemon_health',
  'errors',
  'metrics',
  'unknown',
] as const;
export type IngestDomain = (typeof INGEST_DOMAINS)[number];
export type KnownDomain = Exclude<IngestDomain, 'unknown'>;

export const TARGET_TABLES = [
  'permission_events',
  'confidence_events',
  'chat_messages',
  'selenium_sessions',
  'daemon_health',
  'error_events',
  'metrics_events',
] as const;
export type TargetTable = (typeof TARGET_TABLES)[number];

export interface TargetSpec {
  table: TargetTable;
  /** Columns written, in the order mappers return values (id and created_at are left to their defaults). */
  columns: readonly string[];
  /** The JSON column that keeps the whole source record. */
  jsonColumn: string;
  timeColumn: string;
}

export const TARGETS: Readonly<Record<TargetTable, TargetSpec>> = {
  permission_events: {
    table: 'permission_events',
    columns: [
      'agent_id',
      'event_type',
      'permission_level',
      'granted_at',
      'granted_by',
      'confidence',
      'justification',
      'approval_signature',
      'metadata_json',
    ],
    jsonColumn: 'metadata_json',
    timeColumn: 'granted_at',
  },
  confidence_events: {
    table: 'confidence_events',
    columns: [
      'agent_id',
      'confidence_before',
      'confidence_after',
      'event_type',
      'success',
      'validation',
      'recorded_at',
      'metadata_json',
    ],
    jsonColumn: 'metadata_json',
    timeColumn: 'recorded_at',
  },
  chat_messages: {
    table: 'chat_messages',
    columns: ['user_id', 'stream_id', 'sent_at', 'message', 'message_type', 'metadata_json'],
    jsonColumn: 'metadata_json',
    timeColumn: 'sent_at',
  },
  selenium_sessions: {
    table: 'selenium_sessions',
    columns: ['timestamp', 'url', 'screenshot_hash', 'screenshot_path', 'annotated_path', 'analysis_json'],
    jsonColumn: 'analysis_json',
    timeColumn: 'timestamp',
  },
  daemon_health: {
    table: 'daemon_health',
    columns: [
      'daemon_name',
      'heartbeat_at',
      'status',
      'video_id',
      'errors_detected',
      'uptime_seconds',
      'metrics_json',
    ],
    jsonColumn: 'metrics_json',
    timeColumn: 'heartbeat_at',
  },
  error_events: {
    table: 'error_events',
    columns: [
      'source_module',
      'raised_at',
      'severity',
      'error_type',
      'message',
      'stack_trace',
      'payload_json',
    ],
    jsonColumn: 'payload_json',
    timeColumn: 'raised_at',
  },
  // metrics_events has no record column of its own: tags_json keeps the whole record (its `tags` key
  // holds the writer's tags), as every other table's JSON column does.
  metrics_events: {
    table: 'metrics_events',
    columns: ['metric_name', 'value', 'unit', 'source_module', 'agent_id', 'tags_json', 'recorded_at'],
    jsonColumn: 'tags_json',
    timeColumn: 'recorded_at',
  },
};

export const DOMAIN_TABLES: Readonly<Record<KnownDomain, TargetTable>> = {
  permissions: 'permission_events',
  confidence: 'confidence_events',
  chat: 'chat_messages',
  browser_sessions: 'selenium_sessions',
  daemon_health: 'daemon_health',
  errors: 'error_events',
  metrics: 'metrics_events',
};

export function isIngestDomain(value: string): value is IngestDomain {
  return (INGEST_DOMAINS as readonly string[]).includes(value);
}

export function targetTableOf(domain: IngestDomain): TargetTable | null {
  return domain === 'unknown' ? null : DOMAIN_TABLES[domain];
}

// ---------------------------------------------------------------------------------------------
// Rejects

export const REJECT_CODES = {
  invalid_utf8: 'Invalid UTF-8',
  malformed_json: 'Malformed JSON',
  not_an_object: 'Not a JSON object',
  missing_field: 'Missing required field',
  wrong_type: 'Wrong type',
  line_too_long: 'Line too long',
} as const;
export type RejectCode = keyof typeof REJECT_CODES;

// ---------------------------------------------------------------------------------------------
// Detection

/** The timestamp fields writers use, in the order they are preferred. */
export const TIMESTAMP_FIELDS = [
  'timestamp',
  'granted_at',
  'recorded_at',
  'sent_at',
  'heartbeat_at',
  'raised_at',
  'time',
  'ts',
  'datetime',
  'created_at',
] as const;

interface Signature {
  domain: KnownDomain;
  /** Words for the reason. */
  describe: string;
  test: (record: Record<string, unknown>) => boolean;
  pathWords: RegExp;
}

const has = (record: Record<string, unknown>, key: string) =>
  record[key] !== undefined && record[key] !== null;
const any = (record: Record<string, unknown>, keys: readonly string[]) =>
  keys.some((key) => has(record, key));

const SIGNATURES: readonly Signature[] = [
  {
    domain: 'permissions',
    describe:
      'agent_id with permission/permission_before/permission_after/granted_at or a PERMISSION_* event_type',
    test: (r) =>
      has(r, 'agent_id') &&
      (any(r, [
        'permission',
        'permission_level',
        'permission_before',
        'permission_after',
        'granted_at',
        'approval_signature',
      ]) ||
        (typeof r.event_type === 'string' && r.event_type.toUpperCase().startsWith('PERMISSION'))),
    pathWords: /permission/,
  },
  {
    domain: 'confidence',
    describe: 'agent_id with confidence_before/confidence_after/confidence_adjustment',
    test: (r) =>
      has(r, 'agent_id') && any(r, ['confidence_before', 'confidence_after', 'confidence_adjustment']),
    pathWords: /confidence/,
  },
  {
    domain: 'chat',
    describe: 'message with user_id/author_id',
    test: (r) =>
      any(r, ['message', 'text', 'display_message']) && any(r, ['user_id', 'author_id', 'author_channel_id']),
    pathWords: /chat/,
  },
  {
    domain: 'browser_sessions',
    describe: 'url with analysis/payload/screenshot fields (vision_analyze)',
    test: (r) =>
      r.event === 'vision_analyze' ||
      (has(r, 'url') && any(r, ['analysis', 'payload', 'screenshot_hash', 'screenshot_path'])),
    pathWords: /vision|selenium|browser/,
  },
  {
    domain: 'daemon_health',
    describe: 'status with uptime_seconds/heartbeat_count/memory/cpu',
    test: (r) =>
      has(r, 'status') &&
      any(r, [
        'uptime_seconds',
        'heartbeat_count',
        'memory_usage_mb',
        'memory_mb',
        'cpu_usage_percent',
        'cpu_percent',
      ]),
    pathWords: /heartbeat|health/,
  },
  {
    domain: 'errors',
    describe: 'level/severity with message/error_type/traceback',
    test: (r) =>
      any(r, ['level', 'severity', 'levelname']) &&
      any(r, ['message', 'error_type', 'traceback', 'exception', 'stack_trace']),
    pathWords: /error|exception|crash/,
  },
  {
    domain: 'metrics',
    describe: 'metric/metric_name with value',
    test: (r) => any(r, ['metric', 'metric_name']) && has(r, 'value'),
    pathWords: /metric/,
  },
];

/** Counts gathered from a file's records (streamed by the audit, sampled by ingest). */
export class DomainEvidence {
  records = 0;
  readonly matches = new Map<KnownDomain, number>();
  readonly keys = new Map<string, number>();

  add(record: Record<string, unknown>): void {
    this.records += 1;
    for (const signature of SIGNATURES) {
      if (signature.test(record))
        this.matches.set(signature.domain, (this.matches.get(signature.domain) ?? 0) + 1);
    }
    let seen = 0;
    for (const key in record) {
      // A record with thousands of keys (a dict dumped whole) must not blow up the tally.
      if (++seen > 200) break;
      if (this.keys.size < 2000 || this.keys.has(key)) this.keys.set(key, (this.keys.get(key) ?? 0) + 1);
    }
  }
}

export interface DomainDecision {
  domain: IngestDomain;
  targetTable: TargetTable | null;
  reason: string;
  /** Share of records matching each domain's field signature (0–1). */
  scores: Partial<Record<KnownDomain, number>>;
}

const pct = (share: number) => `${Math.round(share * 100)}%`;

/** Decides a file's domain from its path (relative to its root) and the fields of its records. */
export function decideDomain(relativePath: string, evidence: DomainEvidence): DomainDecision {
  const lowerPath = relativePath.toLowerCase().replaceAll('\\', '/');
  const scores: Partial<Record<KnownDomain, number>> = {};
  let best: Signature | undefined;
  let bestScore = 0;
  for (const signature of SIGNATURES) {
    const score = evidence.records ? (evidence.matches.get(signature.domain) ?? 0) / evidence.records : 0;
    if (score > 0) scores[signature.domain] = score;
    if (score > bestScore) {
      best = signature;
      bestScore = score;
    }
  }
  // A path word that agrees with the fields wins over one that does not (livechat_errors: errors, not chat).
  const pathHint =
    SIGNATURES.find(
      (signature) => signature.domain === best?.domain && signature.pathWords.test(lowerPath),
    ) ?? SIGNATURES.find((signature) => signature.pathWords.test(lowerPath));
  const word = pathHint ? (pathHint.pathWords.exec(lowerPath)?.[0] ?? '') : '';
  const decide = (signature: Signature, reason: string): DomainDecision => ({
    domain: signature.domain,
    targetTable: DOMAIN_TABLES[signature.domain],
    reason,
    scores,
  });
  const fields = (signature: Signature, score: number) =>
    `${pct(score)} of ${evidence.records} records have ${signature.describe}`;

  if (best && bestScore >= 0.5) {
    let reason = fields(best, bestScore);
    if (pathHint?.domain === best.domain) reason += `; the path mentions "${word}"`;
    else if (pathHint) reason += `; the path mentions "${word}" (${pathHint.domain}) but the fields decide`;
    return decide(best, reason);
  }
  if (pathHint && (scores[pathHint.domain] ?? 0) >= 0.1) {
    return decide(pathHint, `the path mentions "${word}" and ${fields(pathHint, scores[pathHint.domain]!)}`);
  }
  const topKeys = [...evidence.keys.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 6)
    .map(([key]) => key);
  let reason: string;
  if (evidence.records === 0) reason = 'no line parses as a JSON object';
  else if (pathHint)
    reason = `the path mentions "${word}" (${pathHint.domain}) but no record has its fields (${pathHint.describe}); fields seen: ${topKeys.join(', ')}`;
  else
    reason = `no known field signature matches (${best ? `best: ${best.domain} at ${pct(bestScore)}` : 'no signature matched'}); fields seen: ${topKeys.join(', ')}`;
  return { domain: 'unknown', targetTable: null, reason, scores };
}

// ---------------------------------------------------------------------------------------------
// Names derived from the file's path (used when a record does not carry them)

const GENERIC_DIRS = new Set([
  'logs',
  'log',
  'data',
  'memory',
  'var',
  'tmp',
  'output',
  'telemetry',
  'errors',
  'metrics',
  'src',
]);
const STEM_SUFFIXES = /[_.-]?(heartbeats?|health|errors?|metrics?|events?|log|logs)$/;

function stemOf(relativePath: string): string {
  return path.posix.basename(relativePath.replaceAll('\\', '/')).replace(/\.jsonl$/i, '');
}

/** The module a file belongs to: modules/<domain>/<module>/…, else its first specific folder, else its name. */
export function moduleFromPath(relativePath: string): string {
  const parts = relativePath.replaceAll('\\', '/').split('/').filter(Boolean);
  const modules = parts.indexOf('modules');
  if (modules >= 0 && parts.length > modules + 3) return parts[modules + 2]!;
  const folder = parts
    .slice(0, -1)
    .find((part) => !GENERIC_DIRS.has(part.toLowerCase()) && !part.startsWith('.'));
  if (folder) return folder;
  return stemOf(relativePath).replace(STEM_SUFFIXES, '') || 'unknown';
}

/** A daemon's name from its heartbeat file: youtube_dae_heartbeat.jsonl → youtube_dae. */
export function daemonFromPath(relativePath: string): string {
  const stem = stemOf(relativePath).replace(/[_.-]?(heartbeats?|health)$/, '');
  return stem || moduleFromPath(relativePath);
}

// ---------------------------------------------------------------------------------------------
// Mapping: one record → one row

export type MapResult = { ok: true; values: unknown[] } | { ok: false; code: RejectCode; reason: string };

export interface MapContext {
  relativePath: string;
}

export type RecordMapper = (record: Record<string, unknown>, line: string) => MapResult;

class Reject extends Error {
  constructor(
    readonly code: RejectCode,
    message: string,
  ) {
    super(message);
  }
}

function preview(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** First of `keys` present (not undefined/null) in the record. */
function pick(record: Record<string, unknown>, keys: readonly string[]): [string, unknown] | undefined {
  for (const key of keys) {
    const value = record[key];
    if (value !== undefined && value !== null) return [key, value];
  }
  return undefined;
}

// PostgreSQL's text cannot hold NUL; the typed columns get U+FFFD, the JSON column keeps the escape as written.
const clean = (text: string) => (text.includes('\u0000') ? text.replaceAll('\u0000', '\uFFFD') : text);

/** A required identifier-like text field: a non-empty string. */
function requiredText(record: Record<string, unknown>, keys: readonly string[], fallback?: string): string {
  const found = pick(record, keys);
  if (!found) {
    if (fallback !== undefined) return fallback;
    throw new Reject(
      'missing_field',
      `missing required field "${keys[0]}"${keys.length > 1 ? ` (or ${keys.slice(1).join(', ')})` : ''}`,
    );
  }
  const [key, value] = found;
  if (typeof value !== 'string')
    throw new Reject(
      'wrong_type',
      `field "${key}" should be a string, got ${typeName(value)} ${preview(value)}`,
    );
  if (value.trim() === '') {
    if (fallback !== undefined) return fallback;
    throw new Reject('missing_field', `required field "${key}" is empty`);
  }
  return clean(value);
}

/** An optional descriptive text field: strings as written, other scalars as text, objects as JSON. */
function optionalText(record: Record<string, unknown>, keys: readonly string[]): string | null {
  const found = pick(record, keys);
  if (!found) return null;
  const value = found[1];
  if (typeof value === 'string') return clean(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return clean(JSON.stringify(value));
}

function optionalNumber(record: Record<string, unknown>, keys: readonly string[]): number | null {
  const found = pick(record, keys);
  if (!found) return null;
  const [key, value] = found;
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new Reject(
      'wrong_type',
      `field "${key}" should be a number, got ${typeName(value)} ${preview(value)}`,
    );
  return value;
}

function requiredNumber(record: Record<string, unknown>, keys: readonly string[]): number {
  const value = optionalNumber(record, keys);
  if (value === null)
    throw new Reject(
      'missing_field',
      `missing required field "${keys[0]}"${keys.length > 1 ? ` (or ${keys.slice(1).join(', ')})` : ''}`,
    );
  return value;
}

/** INTEGER columns: Python writes round(x, 2) floats for counters like uptime; the column keeps the nearest integer. */
function optionalInteger(record: Record<string, unknown>, keys: readonly string[]): number | null {
  const value = optionalNumber(record, keys);
  return value === null ? null : Math.round(value);
}

function optionalBoolean(record: Record<string, unknown>, keys: readonly string[]): boolean | null {
  const found = pick(record, keys);
  if (!found) return null;
  const [key, value] = found;
  if (typeof value === 'boolean') return value;
  if (value === 0 || value === 1) return value === 1;
  throw new Reject(
    'wrong_type',
    `field "${key}" should be true or false, got ${typeName(value)} ${preview(value)}`,
  );
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * True when `value` is plainly a valid `YYYY-MM-DD[T ]HH:MM:SS[.fraction]` time (what Python's
 * isoformat() and CURRENT_TIMESTAMP write), checked by character codes: the ingest's hot path meets one
 * per line. False means "not sure": parseDbTime decides (zones, short forms, odd years, bad dates).
 */
export function plainlyValidTime(value: string): boolean {
  const length = value.length;
  if (length < 19 || length === 20 || length > 29) return false;
  const digit = (i: number) => {
    const code = value.charCodeAt(i) - 48;
    return code >= 0 && code <= 9 ? code : -1000;
  };
  const sep = value.charCodeAt(10);
  if (
    value.charCodeAt(4) !== 45 ||
    value.charCodeAt(7) !== 45 ||
    (sep !== 84 && sep !== 32) ||
    value.charCodeAt(13) !== 58 ||
    value.charCodeAt(16) !== 58
  )
    return false;
  if (length > 19) {
    if (value.charCodeAt(19) !== 46) return false;
    for (let i = 20; i < length; i++) if (digit(i) < 0) return false;
  }
  const year = digit(0) * 1000 + digit(1) * 100 + digit(2) * 10 + digit(3);
  const month = digit(5) * 10 + digit(6);
  const day = digit(8) * 10 + digit(9);
  const hour = digit(11) * 10 + digit(12);
  const minute = digit(14) * 10 + digit(15);
  const second = digit(17) * 10 + digit(18);
  if (year < 1000 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23) return false;
  if (minute < 0 || minute > 59 || second < 0 || second > 59) return false;
  const leap = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= DAYS_IN_MONTH[month - 1]! + (leap ? 1 : 0);
}

/**
 * A required time: text any agent format parses (kept exactly as written), or epoch seconds/ms
 * (Python's time.time()), stored as the console's UTC ISO form.
 */
function requiredTime(record: Record<string, unknown>, keys: readonly string[]): string {
  const found = pick(record, keys);
  if (!found)
    throw new Reject(
      'missing_field',
      `missing required field "${keys[0]}"${keys.length > 1 ? ` (or ${keys.slice(1).join(', ')})` : ''}`,
    );
  const [key, value] = found;
  if (typeof value === 'number') {
    const date = parseDbTime(value);
    if (!date || value <= 0)
      throw new Reject('wrong_type', `field "${key}" is not a timestamp: ${preview(value)}`);
    return date.toISOString();
  }
  if (typeof value !== 'string')
    throw new Reject(
      'wrong_type',
      `field "${key}" should be a timestamp, got ${typeName(value)} ${preview(value)}`,
    );
  if (!plainlyValidTime(value) && !parseDbTime(value))
    throw new Reject('wrong_type', `field "${key}" is not a timestamp: ${preview(value)}`);
  return value;
}

function nested(record: Record<string, unknown>, key: string): Record<string, unknown> {
  const value = record[key];
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

type RowBuilder = (
  record: Record<string, unknown>,
  line: string,
  ctx: MapContext & { daemon: string; module: string; stem: string },
) => unknown[];

const BUILDERS: Readonly<Record<TargetTable, RowBuilder>> = {
  permission_events: (r, line) => {
    const eventType = requiredText(r, ['event_type', 'event']);
    const downgrade = eventType.toUpperCase().includes('DOWNGRADE');
    return [
      requiredText(r, ['agent_id']),
      eventType,
      // A downgrade's level is the one the agent is left with.
      optionalText(
        r,
        downgrade
          ? ['permission_after', 'permission', 'permission_level']
          : ['permission', 'permission_level', 'permission_after'],
      ),
      requiredTime(r, ['granted_at', 'timestamp', 'downgraded_at', 'revoked_at']),
      optionalText(r, ['granted_by', 'downgraded_by', 'revoked_by']),
      optionalNumber(r, ['confidence_at_grant', 'confidence']),
      optionalText(r, ['justification', 'reason']),
      optionalText(r, ['approval_signature']),
      line,
    ];
  },
  confidence_events: (r, line) => [
    requiredText(r, ['agent_id']),
    optionalNumber(r, ['confidence_before']),
    optionalNumber(r, ['confidence_after']),
    requiredText(r, ['event_type', 'event']),
    optionalBoolean(r, ['success']),
    optionalText(r, ['validation']),
    requiredTime(r, ['timestamp', 'recorded_at']),
    line,
  ],
  chat_messages: (r, line, ctx) => [
    requiredText(r, ['user_id', 'author_id', 'author_channel_id']),
    // Chat logs are one file per stream, named after it.
    requiredText(r, ['stream_id', 'video_id', 'live_chat_id'], ctx.stem),
    requiredTime(r, ['timestamp', 'sent_at', 'published_at']),
    optionalText(r, ['message', 'text', 'display_message']),
    optionalText(r, ['message_type', 'type']) ?? 'chat',
    line,
  ],
  selenium_sessions: (r, line) => {
    const payload = nested(r, 'payload');
    const analysis = nested(r, 'analysis');
    return [
      requiredTime(r, ['timestamp']),
      requiredText(r, ['url']),
      optionalText(r, ['screenshot_hash']) ?? optionalText(payload, ['screenshot_hash']),
      optionalText(r, ['screenshot_path']) ?? optionalText(payload, ['screenshot_path']),
      optionalText(r, ['annotated_path']) ??
        optionalText(payload, ['annotated_path']) ??
        optionalText(analysis, ['annotated_path']),
      line,
    ];
  },
  daemon_health: (r, line, ctx) => [
    requiredText(r, ['daemon_name', 'daemon', 'service'], ctx.daemon),
    requiredTime(r, ['timestamp', 'heartbeat_at']),
    // Lifecycle lines ({timestamp, event: "daemon_restart"}) share the file: their event is their status.
    requiredText(r, ['status', 'event']),
    optionalText(r, ['stream_video_id', 'video_id']),
    optionalInteger(r, ['errors_detected', 'errors']) ?? 0,
    optionalInteger(r, ['uptime_seconds', 'uptime']),
    line,
  ],
  error_events: (r, line, ctx) => [
    requiredText(r, ['source_module', 'module', 'logger', 'component'], ctx.module),
    requiredTime(r, ['timestamp', 'raised_at', 'time']),
    // An errors log's lines without a level are errors.
    optionalText(r, ['severity', 'level', 'levelname']) ?? 'ERROR',
    optionalText(r, ['error_type', 'exception_type', 'exception', 'type']),
    optionalText(r, ['message', 'msg', 'error']),
    optionalText(r, ['stack_trace', 'traceback', 'stack']),
    line,
  ],
  metrics_events: (r, line, ctx) => [
    requiredText(r, ['metric_name', 'metric', 'name']),
    requiredNumber(r, ['value']),
    optionalText(r, ['unit']),
    optionalText(r, ['source_module', 'module']) ?? ctx.module,
    optionalText(r, ['agent_id', 'agent']),
    line,
    requiredTime(r, ['timestamp', 'recorded_at', 'time']),
  ],
};

/** The mapper for a table; names a record lacks come from the file's path (see moduleFromPath). */
export function mapperFor(table: TargetTable, ctx: MapContext): RecordMapper {
  const build = BUILDERS[table];
  const full = {
    ...ctx,
    daemon: daemonFromPath(ctx.relativePath),
    module: moduleFromPath(ctx.relativePath),
    stem: stemOf(ctx.relativePath),
  };
  return (record, line) => {
    try {
      return { ok: true, values: build(record, line, full) };
    } catch (error) {
      if (error instanceof Reject) {
        // Name the kind of line when the record says it ("session_start" in a sessions log).
        const kind =
          typeof record.event === 'string' && error.code === 'missing_field'
            ? ` (a "${record.event}" record)`
            : '';
        return { ok: false, code: error.code, reason: `${error.message}${kind}` };
      }
      throw error;
    }
  };
}

/** A line's text as a record, or why it is not one. */
export function parseRecord(
  text: string,
): { ok: true; record: Record<string, unknown> } | { ok: false; code: RejectCode; reason: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const trimmed = text.trimStart();
    let hint = '';
    if (/^\{\s*'/.test(trimmed) || /:\s*(True|False|None)\b/.test(trimmed))
      hint = ' (looks like a Python repr: str(dict) instead of json.dumps)';
    else if (/\b(NaN|-?Infinity)\b/.test(trimmed))
      hint = ' (NaN/Infinity are not JSON: Python json.dumps allow_nan)';
    else if (text.includes('\u0000')) hint = ' (contains NUL bytes)';
    return { ok: false, code: 'malformed_json', reason: `${(error as Error).message}${hint}` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, code: 'not_an_object', reason: `a JSON ${typeName(value)}, not an object` };
  }
  return { ok: true, record: value as Record<string, unknown> };
}
