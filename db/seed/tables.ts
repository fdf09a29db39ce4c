/** The tables the demo and scale generators write, and so the ones the real-data guard inspects. */

export const TELEMETRY_TABLES = [
  'permission_events',
  'confidence_events',
  'chat_messages',
  'daemon_health',
  'error_events',
  'metrics_events',
] as const;

/** The legacy module documentation registry (seeded together, or not at all). */
export const REGISTRY_TABLES = [
  'modules',
  'module_documents',
  'document_relationships',
  'module_wsp_implementations',
  'document_cross_references',
] as const;

/** Every table seedDemo writes, apart from the namespace examples (named through the helpers). */
export const DEMO_TABLES = [
  'agents_social_posts',
  ...TELEMETRY_TABLES,
  'selenium_sessions',
  'agents_awakening',
  'agents_memory',
  'agents_contracts',
  'agents_autonomous_tasks',
  'agents_collaboration_signals',
  'agents_coordination_events',
  'agents_breadcrumbs',
  'agents_errors',
  'agents_transactions',
  ...REGISTRY_TABLES,
  'index_refresh_tracking',
] as const;
