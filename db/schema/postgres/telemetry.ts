import { bigint, boolean, doublePrecision, index, integer, pgTable, text } from 'drizzle-orm/pg-core';
import { utcNowText } from './column-types';

// PostgreSQL twin of ../sqlite/telemetry.ts.

const identity = () => bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity();
const createdAt = () => text('created_at').default(utcNowText);

export const permissionEvents = pgTable(
  'permission_events',
  {
    id: identity(),
    agentId: text('agent_id').notNull(),
    eventType: text('event_type').notNull(),
    permissionLevel: text('permission_level'),
    grantedAt: text('granted_at').notNull(),
    grantedBy: text('granted_by'),
    confidence: doublePrecision('confidence'),
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

export const confidenceEvents = pgTable(
  'confidence_events',
  {
    id: identity(),
    agentId: text('agent_id').notNull(),
    confidenceBefore: doublePrecision('confidence_before'),
    confidenceAfter: doublePrecision('confidence_after'),
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

export const chatMessages = pgTable(
  'chat_messages',
  {
    id: identity(),
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

export const daemonHealth = pgTable(
  'daemon_health',
  {
    id: identity(),
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

export const errorEvents = pgTable(
  'error_events',
  {
    id: identity(),
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

export const metricsEvents = pgTable(
  'metrics_events',
  {
    id: identity(),
    metricName: text('metric_name').notNull(),
    value: doublePrecision('value').notNull(),
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
