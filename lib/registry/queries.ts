import 'server-only';

// The registry's reads for pages and routes (the logic lives in the modules re-exported here, which
// the CLI, benchmarks and tests import without the server-only guard).
export { getRegistry, type RegistryData, type RegistryGroup, type RegistryTable } from './registry';
export { latestJobs, type JobRecord } from './jobs';
export {
  openRelation,
  readTablePage,
  stateMatchesRelation,
  exportTableRows,
  type BrowseTarget,
  type BrowserPage,
} from './browser';
