import { sql } from 'drizzle-orm';
import { index, integer, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { datetime, json } from './column-types';

// The agents' tables (agents_*), exactly as their Python code creates them (contract/SCHEMA.md).
// The console never drops, renames or retypes these columns; status columns stay plain text because
// the agents write whatever they like (see ../enums.ts for the values the console itself uses).

const currentTimestamp = sql`CURRENT_TIMESTAMP`;

export const agentsAwakening = sqliteTable('agents_awakening', {
  agentId: text('agent_id').primaryKey(),
  consciousnessLevel: text('consciousness_level'),
  lastKoan: text('last_koan'),
  awakeningTimestamp: datetime('awakening_timestamp'),
});

export const agentsMemory = sqliteTable(
  'agents_memory',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    agentId: text('agent_id'),
    patternType: text('pattern_type'),
    patternData: json('pattern_data'),
    learnedAt: datetime('learned_at').default(currentTimestamp),
  },
  (t) => [index('idx_agents_memory_time').on(t.learnedAt)],
);

export const agentsErrors = sqliteTable('agents_errors', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  errorHash: text('error_hash').unique(),
  errorType: text('error_type'),
  solution: json('solution'),
  occurrences: integer('occurrences').default(1),
});

export const agentsBreadcrumbs = sqliteTable(
  'agents_breadcrumbs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    sessionId: text('session_id'),
    timestamp: datetime('timestamp').default(currentTimestamp),
    action: text('action'),
    agentId: text('agent_id').default('0102'),
    query: text('query'),
    results: json('results'),
    relatedDocs: json('related_docs'),
    contractId: text('contract_id'),
    taskId: text('task_id'),
    data: json('data'),
  },
  (t) => [index('idx_agents_breadcrumbs_time').on(t.timestamp)],
);

export const agentsContracts = sqliteTable(
  'agents_contracts',
  {
    contractId: text('contract_id').primaryKey(),
    taskDescription: text('task_description'),
    assignedAgent: text('assigned_agent'),
    estimatedMinutes: integer('estimated_minutes'),
    priority: text('priority').default('medium'),
    dependencies: json('dependencies'),
    deliverables: json('deliverables'),
    createdAt: datetime('created_at').default(currentTimestamp),
    deadline: datetime('deadline'),
    completedAt: datetime('completed_at'),
    status: text('status').default('active'),
  },
  (t) => [index('idx_agents_contracts_time').on(t.createdAt)],
);

export const agentsCollaborationSignals = sqliteTable('agents_collaboration_signals', {
  agentId: text('agent_id').primaryKey(),
  collaborationMode: text('collaboration_mode').default('active'),
  availableUntil: datetime('available_until'),
  skillsOffered: json('skills_offered'),
  currentFocus: text('current_focus'),
  lastPing: datetime('last_ping').default(currentTimestamp),
  autonomyLevel: text('autonomy_level').default('semi'),
  workloadCapacity: real('workload_capacity').default(1.0),
});

export const agentsCoordinationEvents = sqliteTable(
  'agents_coordination_events',
  {
    eventId: text('event_id').primaryKey(),
    eventType: text('event_type'),
    initiatorAgent: text('initiator_agent'),
    targetAgents: json('target_agents'),
    payload: json('payload'),
    timestamp: datetime('timestamp').default(currentTimestamp),
    resolutionStatus: text('resolution_status').default('pending'),
  },
  (t) => [index('idx_agents_coordination_events_time').on(t.timestamp)],
);

export const agentsAutonomousTasks = sqliteTable(
  'agents_autonomous_tasks',
  {
    taskId: text('task_id').primaryKey(),
    description: text('description'),
    requiredSkills: json('required_skills'),
    estimatedComplexity: real('estimated_complexity'),
    priorityScore: real('priority_score'),
    discoveredBy: text('discovered_by').default('autonomous_discovery'),
    discoveredAt: datetime('discovered_at').default(currentTimestamp),
    context: json('context'),
    assignedTo: text('assigned_to'),
    assignedAt: datetime('assigned_at'),
  },
  (t) => [index('idx_agents_autonomous_tasks_time').on(t.discoveredAt)],
);

/** Agent-written posts awaiting the operator's decision (statuses: ../enums.ts POST_STATUSES, not enforced). */
export const agentsSocialPosts = sqliteTable(
  'agents_social_posts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    postId: text('post_id').unique().notNull(),
    platform: text('platform').notNull(),
    postType: text('post_type').notNull(),
    identity: text('identity'),
    targetUrl: text('target_url'),
    targetAuthor: text('target_author'),
    content: text('content').notNull(),
    tone: text('tone'),
    triggerContext: text('trigger_context'),
    status: text('status').default('draft'),
    reviewNotes: text('review_notes'),
    reviewedAt: datetime('reviewed_at'),
    postedAt: datetime('posted_at'),
    createdAt: datetime('created_at').default(currentTimestamp),
    metadata: json('metadata'),
    // Added by the console (0001_review_workflow) for optimistic concurrency and history; the agents'
    // statements name their columns and never touch these, so their code is unaffected.
    consoleVersion: integer('console_version').notNull().default(0),
    consoleActor: text('console_actor'),
    consoleUpdatedAt: text('console_updated_at'),
  },
  (t) => [
    index('idx_social_posts_platform').on(t.platform),
    index('idx_social_posts_status').on(t.status),
    index('idx_social_posts_identity').on(t.identity),
    index('idx_social_posts_status_created').on(t.status, t.createdAt),
    index('idx_social_posts_created').on(t.createdAt),
    index('idx_social_posts_identity_created').on(t.identity, t.createdAt),
    index('idx_social_posts_target_url').on(t.targetUrl),
  ],
);

export const agentsTransactions = sqliteTable(
  'agents_transactions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    txId: text('tx_id').unique().notNull(),
    chainTxHash: text('chain_tx_hash'),
    amount: real('amount').notNull(),
    currency: text('currency').notNull(),
    purpose: text('purpose'),
    status: text('status').default('pending'),
    metadata: json('metadata'),
    createdAt: datetime('created_at').default(currentTimestamp),
  },
  (t) => [index('idx_transactions_status').on(t.status), index('idx_transactions_currency').on(t.currency)],
);

export type AgentAwakening = typeof agentsAwakening.$inferSelect;
export type NewAgentAwakening = typeof agentsAwakening.$inferInsert;
export type AgentMemory = typeof agentsMemory.$inferSelect;
export type NewAgentMemory = typeof agentsMemory.$inferInsert;
export type AgentError = typeof agentsErrors.$inferSelect;
export type NewAgentError = typeof agentsErrors.$inferInsert;
export type AgentBreadcrumb = typeof agentsBreadcrumbs.$inferSelect;
export type NewAgentBreadcrumb = typeof agentsBreadcrumbs.$inferInsert;
export type AgentContract = typeof agentsContracts.$inferSelect;
export type NewAgentContract = typeof agentsContracts.$inferInsert;
export type AgentCollaborationSignal = typeof agentsCollaborationSignals.$inferSelect;
export type NewAgentCollaborationSignal = typeof agentsCollaborationSignals.$inferInsert;
export type AgentCoordinationEvent = typeof agentsCoordinationEvents.$inferSelect;
export type NewAgentCoordinationEvent = typeof agentsCoordinationEvents.$inferInsert;
export type AgentAutonomousTask = typeof agentsAutonomousTasks.$inferSelect;
export type NewAgentAutonomousTask = typeof agentsAutonomousTasks.$inferInsert;
export type SocialPost = typeof agentsSocialPosts.$inferSelect;
export type NewSocialPost = typeof agentsSocialPosts.$inferInsert;
export type AgentTransaction = typeof agentsTransactions.$inferSelect;
export type NewAgentTransaction = typeof agentsTransactions.$inferInsert;
