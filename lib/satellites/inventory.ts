import { globToRegExp, patternSpecificity } from './glob';

/**
 * The protocol check on a scan's result: each file found is matched to a declared satellite (glob on
 * its path relative to its root); a file no declaration matches is an undocumented satellite, and a
 * declaration no file matches (once the scan has finished) is documented but missing. Both are
 * protocol violations; a declaration without a consolidation plan is a warning.
 */

export interface DeclaredSatellite {
  id: number;
  pattern: string;
  owner: string;
  rationale: string;
  phase: number | null;
  plan: string | null;
  updatedBy: string;
  updatedAt: string;
}

export interface SatelliteTable {
  name: string;
  type: 'table' | 'view' | 'virtual';
  rows: number | null;
  error: string | null;
}

export type FileStatus = 'ok' | 'timeout' | 'error' | 'empty' | 'not-sqlite';

export interface ScannedFile {
  fileKey: string;
  root: string;
  relPath: string;
  sizeBytes: number;
  modifiedAt: string;
  status: FileStatus;
  /** immutable / wal-reader: how the worker opened it (see sqlite-worker.mjs). */
  access: string | null;
  journalMode: 'wal' | 'rollback' | null;
  walPresent: boolean;
  isChroma: boolean;
  pageSize: number | null;
  tables: SatelliteTable[];
  error: string | null;
  inspectMs: number | null;
}

export interface InventoryFile extends ScannedFile {
  declared: { id: number; pattern: string; owner: string } | null;
}

export interface InventoryDeclared extends DeclaredSatellite {
  files: InventoryFile[];
  /** No file matches, and the scan finished (so the absence is real). */
  missing: boolean;
}

export type Violation =
  | { kind: 'undocumented'; fileKey: string; path: string; message: string }
  | { kind: 'missing'; declaredId: number; pattern: string; message: string }
  | { kind: 'no-plan'; declaredId: number; pattern: string; message: string };

export interface Inventory {
  files: InventoryFile[];
  declared: InventoryDeclared[];
  violations: Violation[];
}

export function buildInventory(
  declared: readonly DeclaredSatellite[],
  files: readonly ScannedFile[],
  scanComplete: boolean,
): Inventory {
  const matchers = declared
    .map((entry) => ({ entry, regex: globToRegExp(entry.pattern) }))
    .toSorted((a, b) => patternSpecificity(b.entry.pattern) - patternSpecificity(a.entry.pattern));
  const inventoryFiles: InventoryFile[] = files.map((file) => {
    const match = matchers.find((matcher) => matcher.regex.test(file.relPath));
    return {
      ...file,
      declared: match ? { id: match.entry.id, pattern: match.entry.pattern, owner: match.entry.owner } : null,
    };
  });
  const declaredEntries: InventoryDeclared[] = declared.map((entry) => {
    const matched = inventoryFiles.filter((file) => file.declared?.id === entry.id);
    return { ...entry, files: matched, missing: scanComplete && matched.length === 0 };
  });
  const violations: Violation[] = [];
  for (const file of inventoryFiles) {
    if (!file.declared) {
      violations.push({
        kind: 'undocumented',
        fileKey: file.fileKey,
        path: file.relPath,
        message: `Undocumented satellite: ${file.relPath} matches no declared satellite (no owner, rationale or consolidation plan on record).`,
      });
    }
  }
  for (const entry of declaredEntries) {
    if (entry.missing) {
      violations.push({
        kind: 'missing',
        declaredId: entry.id,
        pattern: entry.pattern,
        message: `Documented but missing: no file under the scanned roots matches ${entry.pattern} (owner ${entry.owner}).`,
      });
    }
    if (!entry.plan?.trim()) {
      violations.push({
        kind: 'no-plan',
        declaredId: entry.id,
        pattern: entry.pattern,
        message: `${entry.pattern} has no consolidation plan on record.`,
      });
    }
  }
  return { files: inventoryFiles, declared: declaredEntries, violations };
}
