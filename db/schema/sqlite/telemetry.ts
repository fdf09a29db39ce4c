import { sql } from 'drizzle-orm';
import { index, integer, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { boolean } from './column-types';

// Consolidated telemetry (targets of the JSONL migration). Times are ISO-8601 text as the source
// wrote them; *_json columns hold JSON text. Indexes serve the timeline: (time), (actor, time), (type, time).

const createdAt = () => text('created_at').default(sql`(datetime('now'))`);

export const permissionEvents = sqliteTable(
  'permission_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    agentId: text('agent_id').notNull(),
    eventType: text('event_type').notNull(),
    permissionLevel: text('permission_level'),
    grantedAt: text('granted_at').notNull(),
    grantedBy: text('granted_by'),
    confidence: real('confidence'),
    justification: text('justification'),
    approvalSignature: text('approval_signature'),
    metadataJson: text('metadata_json'),
    createdAt: createdAt(),
  },
  (t) => [
    index('idx_permission_events_time').on(t.grantedAt),
    index('idx_permission_events_agent_time').on(t.agentId, t.grantedAt),
    index('idx_permission_events_type_time').on(t.eventType, t.grantedAt),
  ],
);

export const confidenceEvents = sqliteTable(
  'confidence_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    agentId: text('agent_id').notNull(),
    confidenceBefore: real('confidence_before'),
    confidenceAfter: real('confidence_after'),
    eventType: text('event_type').notNull(),
    success: boolean('success'),
    validation: text('validation'),
    recordedAt: text('recorded_at').notNull(),
    metadataJson: text('metadata_json'),
    createdAt: createdAt(),
  },
  (t) => [
    index('idx_confidence_events_time').on(t.recordedAt),
    index('idx_confidence_events_agent_time').on(t.agentId, t.recordedAt),
    index('idx_confidence_events_type_time').on(t.eventType, t.recordedAt),
  ],
);

export const chatMessages = sqliteTable(
  'chat_messages',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: text('user_id').notNull(),
    streamId: text('stream_id').notNull(),
    sentAt: text('sent_at').notNull(),
    message: text('message'),
    messageType: text('message_type').default('chat'),
    metadataJson: text('metadata_json'),
    createdAt: createdAt(),
  },
  (t) => [
    index('idx_chat_messages_time').on(t.sentAt),
    index('idx_chat_messages_user_time').on(t.userId, t.sentAt),
    index('idx_chat_messages_type_time').on(t.messageType, t.sentAt),
  ],
);

export const daemonHealth = sqliteTable(
  'daemon_health',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    daemonName: text('daemon_name').notNull(),
    heartbeatAt: text('heartbeat_at').notNull(),
    status: text('status').notNull(),
    videoId: text('video_id'),
    errorsDetected: integer('errors_detected').default(0),
    uptimeSeconds: integer('uptime_seconds'),
    metricsJson: text('metrics_json'),
    createdAt: createdAt(),
  },
  (t) => [
    index('idx_daemon_health_time').on(t.heartbeatAt),
    index('idx_daemon_health_daemon_time').on(t.daemonName, t.heartbeatAt),
    index('idx_daemon_health_status_time').on(t.status, t.heartbeatAt),
  ],
);

export const errorEvents = sqliteTable(
  'error_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    sourceModule: text('source_module').notNull(),
    raisedAt: text('raised_at').notNull(),
    severity: text('severity').notNull(),
    errorType: text('error_type'),
    message: text('message'),
    stackTrace: text('stack_trace'),
    payloadJson: text('payload_json'),
    createdAt: createdAt(),
  },
  (t) => [
    index('idx_error_events_time').on(t.raisedAt),
    index('idx_error_events_module_time').on(t.sourceModule, t.raisedAt),
    index('idx_error_events_severity_time').on(t.severity, t.raisedAt),
  ],
);

/** Defined by the console (the agents have no DDL for it yet): one measured value per row. */
export const metricsEvents = sqliteTable(
  'metrics_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    metricName: text('metric_name').notNull(),
    value: real('value').notNull(),
    unit: text('unit'),
    sourceModule: text('source_module'),
    agentId: text('agent_id'),
    tagsJson: text('tags_json'),
    recordedAt: text('recorded_at').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index('idx_metrics_events_time').on(t.recordedAt),
    index('idx_metrics_events_agent_time').on(t.agentId, t.recordedAt),
    index('idx_metrics_events_name_time').on(t.metricName, t.recordedAt),
    index('idx_metrics_events_module_time').on(t.sourceModule, t.recordedAt),
  ],
);

export type PermissionEvent = typeof permissionEvents.$inferSelect;
export type NewPermissionEvent = typeof permissionEvents.$inferInsert;
export type ConfidenceEvent = typeof confidenceEvents.$inferSelect;
export type NewConfidenceEvent = typeof confidenceEvents.$inferInsert;
export type ChatMessage = typeof chatMessages.$inferSelect;
export type NewChatMessage = typeof chatMessages.$inferInsert;
export type DaemonHealth = typeof daemonHealth.$inferSelect;
export type NewDaemonHealth = typeof daemonHealth.$inferInsert;
export type ErrorEvent = typeof errorEvents.$inferSelect;
export type NewErrorEvent = typeof errorEvents.$inferInsert;
export type MetricsEvent = typeof metricsEvents.$inferSelect;
export type NewMetricsEvent = typeof metricsEvents.$inferInsert;
