import 'server-only';

// The timeline's reads for pages and route handlers. The work is done in the modules below, which
// carry no 'server-only' marker so the CLI and the benchmark (bench/timeline.bench.ts) can run them
// too; pages import from here.
//
//   list.ts     merged event list (keyset pages), per-actor view, event detail and correlation,
//               live "N new" count, filter picker values
//   charts.ts   events over time by source, errors by module, confidence trend, permission changes,
//               heartbeat uptime and gaps, metric series, the lanes above the list
//   export.ts   streamed CSV/JSON export of the filtered list
//   sources.ts  the source registry (built-in and admin-registered) and index recommendations
//   rollups.ts  rollup upkeep (rebuild, verify) for the CLI and admin screens

export {
  getTimelinePage,
  getActorTimeline,
  countNewerEvents,
  getTimelineEvent,
  getCorrelatedEvents,
  getFilterValues,
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  CORRELATION_WINDOW_MS,
  type TimelineEvent,
  type TimelinePage,
  type TimelineEventDetail,
  type FilterValues,
  type TimelineFilters,
} from './list';
export {
  getEventVolume,
  getErrorsByModule,
  getConfidenceTrend,
  getPermissionChanges,
  getMetricSeries,
  getHeartbeatHealth,
  getTimelineLanes,
  permissionChangeKind,
  type ChartFilters,
  type StackedBuckets,
  type ConfidencePoint,
  type MetricPoint,
  type HeartbeatHealth,
  type HeartbeatDaemon,
  type HeartbeatGap,
  type Lane,
} from './charts';
export { exportTimeline, timelineCsv, timelineJson, EXPORT_COLUMNS } from './export';
export {
  resolveSources,
  listRegisteredSources,
  missingTimelineIndexes,
  BUILT_IN_SOURCES,
  type TimelineSource,
  type ResolvedSources,
  type RegisteredSourceInfo,
} from './sources';
export { rollupsComplete, verifyRollups } from './rollups';
export { InvalidCursorError } from './cursor';
