/**
 * Starter queries shown in the console (they work on SQLite and PostgreSQL alike). The first is the
 * cross-module example from the seed's data: permission and confidence events side by side per agent,
 * the two telemetry streams merged with UNION ALL.
 */
export interface ExampleQuery {
  name: string;
  description: string;
  sql: string;
}

export const STARTER_QUERY: ExampleQuery = {
  name: 'Permissions and confidence by agent',
  description:
    'Cross-module: permission_events and confidence_events merged with UNION ALL, counted per agent.',
  sql: `SELECT agent_id,
       SUM(CASE WHEN source = 'permission' THEN 1 ELSE 0 END) AS permission_events,
       SUM(CASE WHEN source = 'confidence' THEN 1 ELSE 0 END) AS confidence_events,
       ROUND(CAST(AVG(CASE WHEN source = 'confidence' THEN confidence END) AS NUMERIC), 3) AS avg_confidence_after
FROM (
  SELECT agent_id, 'permission' AS source, confidence FROM permission_events
  UNION ALL
  SELECT agent_id, 'confidence' AS source, confidence_after AS confidence FROM confidence_events
) AS events
GROUP BY agent_id
ORDER BY COUNT(*) DESC, agent_id`,
};

export const EXAMPLE_QUERIES: readonly ExampleQuery[] = [
  STARTER_QUERY,
  {
    name: 'Posts by status and platform',
    description: 'The review queue at a glance.',
    sql: `SELECT status, platform, COUNT(*) AS posts
FROM agents_social_posts
GROUP BY status, platform
ORDER BY status, posts DESC`,
  },
  {
    name: 'Errors per module and severity',
    description: 'Which modules raise what.',
    sql: `SELECT source_module, severity, COUNT(*) AS errors
FROM error_events
GROUP BY source_module, severity
ORDER BY errors DESC`,
  },
];
