import { bigint, doublePrecision, index, integer, pgTable, text } from 'drizzle-orm/pg-core';
import { utcNowText } from './column-types';

// PostgreSQL twin of ../sqlite/agents.ts (test/schema-parity.test.ts keeps them in step). The
// agents' DATETIME and JSON columns are TEXT here, so values keep the exact text that was written.

const identity = () => bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity();

export const agentsAwakening = pgTable('agents_awakening', {
  agentId: text('agent_id').primaryKey(),
  consciousnessLevel: text('consciousness_level'),
  lastKoan: text('last_koan'),
  awakeningTimestamp: text('awakening_timestamp'),
});

export const agentsMemory = pgTable(
  'agents_memory',
  {
    id: identity(),
    agentId: text('agent_id'),
    patternType: text('pattern_type'),
    patternData: text('pattern_data'),
    learnedAt: text('learned_at').default(utcNowText),
  },
  (t) => [index('idx_agents_memory_time').on(t.learnedAt)],
);

export const agentsErrors = pgTable('agents_errors', {
  id: identity(),
  errorHash: text('error_hash').unique(),
  errorType: text('error_type'),
  solution: text('solution'),
  occurrences: integer('occurrences').default(1),
});

export const agentsBreadcrumbs = pgTable(
  'agents_breadcrumbs',
  {
    id: identity(),
    sessionId: text('session_id'),
    timestamp: text('timestamp').default(utcNowText),
    action: text('action'),
    agentId: text('agent_id').default('0102'),
    query: text('query'),
    results: text('results'),
    relatedDocs: text('related_docs'),
    contractId: text('contract_id'),
    taskId: text('task_id'),
    data: text('data'),
  },
  (t) => [index('idx_agents_breadcrumbs_time').on(t.timestamp)],
);

export const agentsContracts = pgTable(
  'agents_contracts',
  {
    contractId: text('contract_id').primaryKey(),
    taskDescription: text('task_description'),
    assignedAgent: text('assigned_agent'),
    estimatedMinutes: integer('estimated_minutes'),
    priority: text('priority').default('medium'),
    dependencies: text('dependencies'),
    deliverables: text('deliverables'),
    createdAt: text('created_at').default(utcNowText),
    deadline: text('deadline'),
    completedAt: text('completed_at'),
    status: text('status').default('active'),
  },
  (t) => [index('idx_agents_contracts_time').on(t.createdAt)],
);

export const agentsCollaborationSignals = pgTable('agents_collaboration_signals', {
  agentId: text('agent_id').primaryKey(),
  collaborationMode: text('collaboration_mode').default('active'),
  availableUntil: text('available_until'),
  skillsOffered: text('skills_offered'),
  currentFocus: text('current_focus'),
  lastPing: text('last_ping').default(utcNowText),
  autonomyLevel: text('autonomy_level').default('semi'),
  workloadCapacity: doublePrecision('workload_capacity').default(1.0),
});

export const agentsCoordinationEvents = pgTable(
  'agents_coordination_events',
  {
    eventId: text('event_id').primaryKey(),
    eventType: text('event_type'),
    initiatorAgent: text('initiator_agent'),
    targetAgents: text('target_agents'),
    payload: text('payload'),
    timestamp: text('timestamp').default(utcNowText),
    resolutionStatus: text('resolution_status').default('pending'),
  },
  (t) => [index('idx_agents_coordination_events_time').on(t.timestamp)],
);

export const agentsAutonomousTasks = pgTable(
  'agents_autonomous_tasks',
  {
    taskId: text('task_id').primaryKey(),
    description: text('description'),
    requiredSkills: text('required_skills'),
    estimatedComplexity: doublePrecision('estimated_complexity'),
    priorityScore: doublePrecision('priority_score'),
    discoveredBy: text('discovered_by').default('autonomous_discovery'),
    discoveredAt: text('discovered_at').default(utcNowText),
    context: text('context'),
    assignedTo: text('assigned_to'),
    assignedAt: text('assigned_at'),
  },
  (t) => [index('idx_agents_autonomous_tasks_time').on(t.discoveredAt)],
);

export const agentsSocialPosts = pgTable(
  'agents_social_posts',
  {
    id: identity(),
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
    reviewedAt: text('reviewed_at'),
    postedAt: text('posted_at'),
    createdAt: text('created_at').default(utcNowText),
    metadata: text('metadata'),
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

export const agentsTransactions = pgTable(
  'agents_transactions',
  {
    id: identity(),
    txId: text('tx_id').unique().notNull(),
    chainTxHash: text('chain_tx_hash'),
    amount: doublePrecision('amount').notNull(),
    currency: text('currency').notNull(),
    purpose: text('purpose'),
    status: text('status').default('pending'),
    metadata: text('metadata'),
    createdAt: text('created_at').default(utcNowText),
  },
  (t) => [index('idx_transactions_status').on(t.status), index('idx_transactions_currency').on(t.currency)],
);
