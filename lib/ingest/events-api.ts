import crypto from 'node:crypto';
import { z } from 'zod';
import { type Database, type TxStep, quoteIdentifier, sql } from '@/db/database';
import { nowIso, parseDbTime } from '@/lib/time/format';
import { TARGETS, TARGET_TABLES, type TargetTable } from './domains';

// The core of POST /api/v1/events (token scope events:write): a batch of telemetry events for any
// consolidated table, each validated field by field, written in one transaction, idempotent by
// (token, client_event_id) — a retried batch inserts nothing twice and says which events were
// already there. The route authenticates, parses the JSON body and maps the result to HTTP.

export const EVENTS_MAX_BATCH = 1000;
export const EVENT_KEYS_TABLE = 'modules_console_event_keys';

const text = (max = 500) => z.string().trim().min(1, 'Required.').max(max, `At most ${max} characters.`);
const optionalText = (max = 10_000) => z.string().max(max, `At most ${max} characters.`).nullish();
const timestamp = z
  .string({ error: 'A timestamp (ISO-8601) is required.' })
  .trim()
  .refine(
    (value) => parseDbTime(value) !== null,
    'Not a timestamp: use ISO-8601, e.g. 2025-11-20T10:00:00Z.',
  );
const number = z.number({ error: 'A number is required.' }).finite('Must be a finite number.');
/** A JSON column: any JSON value (stored as its JSON text), or a string that already is JSON text. */
const jsonColumn = z
  .unknown()
  .refine((value) => {
    if (typeof value !== 'string') return true;
    try {
      JSON.parse(value);
      return true;
    } catch {
      return false;
    }
  }, 'A string here must be JSON text; send an object to have it stored as JSON.')
  .transform((value) =>
    value === undefined || value === null ? null : typeof value === 'string' ? value : JSON.stringify(value),
  );

const clientEventId = text(200);

const EVENT_SCHEMAS = {
  permission_events: z.strictObject({
    table: z.literal('permission_events'),
    client_event_id: clientEventId,
    agent_id: text(),
    event_type: text(),
    permission_level: optionalText(500),
    granted_at: timestamp,
    granted_by: optionalText(500),
    confidence: number.nullish(),
    justification: optionalText(),
    approval_signature: optionalText(500),
    metadata_json: jsonColumn.optional(),
  }),
  confidence_events: z.strictObject({
    table: z.literal('confidence_events'),
    client_event_id: clientEventId,
    agent_id: text(),
    confidence_before: number.nullish(),
    confidence_after: number.nullish(),
    event_type: text(),
    success: z.boolean({ error: 'true or false.' }).nullish(),
    validation: optionalText(),
    recorded_at: timestamp,
    metadata_json: jsonColumn.optional(),
  }),
  chat_messages: z.strictObject({
    table: z.literal('chat_messages'),
    client_event_id: clientEventId,
    user_id: text(),
    stream_id: text(),
    sent_at: timestamp,
    message: optionalText(),
    message_type: text(100).optional(),
    metadata_json: jsonColumn.optional(),
  }),
  selenium_sessions: z.strictObject({
    table: z.literal('selenium_sessions'),
    client_event_id: clientEventId,
    timestamp,
    url: text(4000),
    screenshot_hash: optionalText(200),
    screenshot_path: optionalText(4000),
    annotated_path: optionalText(4000),
    analysis_json: jsonColumn.optional(),
  }),
  daemon_health: z.strictObject({
    table: z.literal('daemon_health'),
    client_event_id: clientEventId,
    daemon_name: text(),
    heartbeat_at: timestamp,
    status: text(100),
    video_id: optionalText(200),
    errors_detected: z.number().int('A whole number.').min(0, 'Not negative.').optional(),
    uptime_seconds: z.number().int('A whole number.').min(0, 'Not negative.').nullish(),
    metrics_json: jsonColumn.optional(),
  }),
  error_events: z.strictObject({
    table: z.literal('error_events'),
    client_event_id: clientEventId,
    source_module: text(),
    raised_at: timestamp,
    severity: text(50),
    error_type: optionalText(500),
    message: optionalText(),
    stack_trace: optionalText(200_000),
    payload_json: jsonColumn.optional(),
  }),
  metrics_events: z.strictObject({
    table: z.literal('metrics_events'),
    client_event_id: clientEventId,
    metric_name: text(),
    value: number,
    unit: optionalText(50),
    source_module: optionalText(500),
    agent_id: optionalText(500),
    tags_json: jsonColumn.optional(),
    recorded_at: timestamp,
  }),
} satisfies Record<TargetTable, z.ZodType>;

const tableSchema = z.enum(TARGET_TABLES, { error: `table must be one of ${TARGET_TABLES.join(', ')}.` });

const bodySchema = z.object(
  {
    events: z
      .array(z.unknown(), { error: 'events must be an array.' })
      .min(1, 'Send at least one event.')
      .max(EVENTS_MAX_BATCH, `At most ${EVENTS_MAX_BATCH} events per request.`),
  },
  { error: 'The body must be a JSON object { "events": [...] }.' },
);

export type EventFieldErrors = Record<string, string[]>;

export interface EventResult {
  index: number;
  client_event_id: string;
  table: TargetTable;
  /** inserted: new row; duplicate: this token sent this id before with the same content; conflict: same id, different content (nothing written). */
  status: 'inserted' | 'duplicate' | 'conflict';
  id: number | null;
}

export type IngestEventsResult =
  | { ok: true; inserted: number; duplicates: number; conflicts: number; results: EventResult[] }
  | { ok: false; error: 'validation'; message: string; fieldErrors: EventFieldErrors };

interface PlanEntry {
  event: ValidEvent;
  status: EventResult['status'];
  id: number | null;
  insertStep: number;
}

interface ValidEvent {
  index: number;
  table: TargetTable;
  clientEventId: string;
  values: unknown[];
  hash: string;
}

function addError(errors: EventFieldErrors, key: string, message: string) {
  (errors[key] ??= []).push(message);
}

/** Canonical JSON (sorted keys) of the validated event, so a retry with reordered keys is the same event. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** Validates a request body: every event, every field; errors keyed `events.<index>.<field>`. */
export function validateEventsBody(
  body: unknown,
): { ok: true; events: ValidEvent[] } | { ok: false; message: string; fieldErrors: EventFieldErrors } {
  const parsedBody = bodySchema.safeParse(body);
  if (!parsedBody.success) {
    const fieldErrors: EventFieldErrors = {};
    for (const issue of parsedBody.error.issues)
      addError(fieldErrors, issue.path.map(String).join('.') || 'body', issue.message);
    return { ok: false, message: 'The request body is not a valid batch of events.', fieldErrors };
  }
  const fieldErrors: EventFieldErrors = {};
  const events: ValidEvent[] = [];
  parsedBody.data.events.forEach((raw, index) => {
    const prefix = `events.${index}`;
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      addError(fieldErrors, prefix, 'Each event must be an object.');
      return;
    }
    const table = tableSchema.safeParse((raw as Record<string, unknown>).table);
    if (!table.success) {
      addError(fieldErrors, `${prefix}.table`, table.error.issues[0]?.message ?? 'Unknown table.');
      return;
    }
    const parsed = EVENT_SCHEMAS[table.data].safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        if (issue.code === 'unrecognized_keys') {
          for (const key of issue.keys)
            addError(fieldErrors, `${prefix}.${key}`, `Unknown field for ${table.data}.`);
        } else {
          addError(fieldErrors, [prefix, ...issue.path.map(String)].join('.'), issue.message);
        }
      }
      return;
    }
    const data = parsed.data as Record<string, unknown>;
    const spec = TARGETS[table.data];
    const values = spec.columns.map((column) => {
      const value = data[column];
      if (column === 'message_type') return value ?? 'chat';
      if (column === 'errors_detected') return value ?? 0;
      return value ?? null;
    });
    const hash = crypto.createHash('sha256').update(canonical(data)).digest('hex');
    events.push({ index, table: table.data, clientEventId: String(data.client_event_id), values, hash });
  });
  if (Object.keys(fieldErrors).length > 0) {
    return {
      ok: false,
      message: `${Object.keys(fieldErrors).length} field(s) are invalid; nothing was written.`,
      fieldErrors,
    };
  }
  return { ok: true, events };
}

/**
 * Writes a batch for API token `tokenId`. All or nothing: a validation error writes nothing. Events
 * already sent by this token (same client_event_id) are reported as duplicates (same content) or
 * conflicts (different content) and not written again.
 */
export async function ingestApiEvents(
  db: Database,
  tokenId: number,
  body: unknown,
): Promise<IngestEventsResult> {
  const validated = validateEventsBody(body);
  if (!validated.ok)
    return { ok: false, error: 'validation', message: validated.message, fieldErrors: validated.fieldErrors };
  const events = validated.events;
  const now = nowIso();
  const keysTable = sql.raw(EVENT_KEYS_TABLE);
  const steps: TxStep[] = [];
  // PostgreSQL: one batch per token at a time, so two retries of one batch cannot race on the same keys.
  if (db.dialect === 'postgres') steps.push(sql`SELECT pg_advisory_xact_lock(7263101, ${tokenId})`);
  const existingStep = steps.length;
  steps.push(
    sql`SELECT client_event_id, target_id, request_hash FROM ${keysTable} WHERE token_id = ${tokenId} AND client_event_id IN (${sql.join(
      events.map((event) => sql`${event.clientEventId}`),
      sql`, `,
    )})`,
  );
  // Decided once the existing keys are known (inside the transaction), shared by the steps below.
  let plan: PlanEntry[] | null = null;
  const planFor = (results: { rows: Record<string, unknown>[] }[]) => {
    if (plan) return plan;
    const known = new Map(
      results[existingStep]!.rows.map((row) => [
        String(row.client_event_id),
        { id: Number(row.target_id), hash: String(row.request_hash) },
      ]),
    );
    const seenInBatch = new Map<string, { hash: string; index: number }>();
    plan = events.map((event, i): PlanEntry => {
      const before = known.get(event.clientEventId);
      if (before)
        return {
          event,
          status: before.hash === event.hash ? 'duplicate' : 'conflict',
          id: before.id,
          insertStep: -1,
        };
      const earlier = seenInBatch.get(event.clientEventId);
      if (earlier)
        return {
          event,
          status: earlier.hash === event.hash ? 'duplicate' : 'conflict',
          id: null,
          insertStep: -1,
        };
      seenInBatch.set(event.clientEventId, { hash: event.hash, index: i });
      return { event, status: 'inserted', id: null, insertStep: existingStep + 1 + i * 2 };
    });
    return plan;
  };
  events.forEach((event, i) => {
    const spec = TARGETS[event.table];
    steps.push((results) => {
      const entry = planFor(results)[i]!;
      if (entry.status !== 'inserted') return null;
      return sql`INSERT INTO ${sql.raw(quoteIdentifier(spec.table))} (${sql.raw(spec.columns.map(quoteIdentifier).join(', '))}) VALUES (${sql.join(
        event.values.map((value) => sql`${value}`),
        sql`, `,
      )}) RETURNING id`;
    });
    steps.push((results) => {
      const entry = planFor(results)[i]!;
      if (entry.status !== 'inserted') return null;
      entry.id = Number(results[entry.insertStep]!.rows[0]!.id);
      return sql`INSERT INTO ${keysTable} (token_id, client_event_id, target_table, target_id, request_hash, created_at) VALUES (${tokenId}, ${event.clientEventId}, ${event.table}, ${entry.id}, ${event.hash}, ${now})`;
    });
  });
  await db.transaction(steps);
  // (TypeScript cannot see the assignment inside the step closures.)
  const final: PlanEntry[] = (plan as PlanEntry[] | null) ?? [];
  // Duplicates within one batch point at the row their first occurrence created.
  const firstIds = new Map(
    final
      .filter((entry) => entry.status === 'inserted')
      .map((entry) => [entry.event.clientEventId, entry.id]),
  );
  const results: EventResult[] = final.map((entry) => ({
    index: entry.event.index,
    client_event_id: entry.event.clientEventId,
    table: entry.event.table,
    status: entry.status,
    id: entry.id ?? (entry.status === 'duplicate' ? (firstIds.get(entry.event.clientEventId) ?? null) : null),
  }));
  return {
    ok: true,
    inserted: results.filter((r) => r.status === 'inserted').length,
    duplicates: results.filter((r) => r.status === 'duplicate').length,
    conflicts: results.filter((r) => r.status === 'conflict').length,
    results,
  };
}
