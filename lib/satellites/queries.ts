import 'server-only';
import fs from 'node:fs';
import path from 'node:path';
import type { Database } from '@/db/database';
import type { JobRecord } from '@/lib/registry/jobs';
import { type Inventory, type ScannedFile, buildInventory } from './inventory';
import { type RootsConfig, isInside, readScanRoots } from './roots';
import { findScannedFile, latestCompletedScan, latestScan, listDeclared, scanFiles } from './store';

export interface SatellitesPage {
  roots: RootsConfig;
  scan: JobRecord | null;
  /** The scan whose files are shown: the running one (filling in) or the latest finished one. */
  shownScan: JobRecord | null;
  inventory: Inventory;
}

export async function getSatellitesPage(db: Database): Promise<SatellitesPage> {
  const roots = readScanRoots();
  const [declared, scan] = await Promise.all([listDeclared(db), latestScan(db)]);
  const shownScan =
    scan && scan.status !== 'done' && scan.status !== 'running' ? await latestCompletedScan(db) : scan;
  const files = shownScan ? await scanFiles(db, shownScan.id) : [];
  return { roots, scan, shownScan, inventory: buildInventory(declared, files, shownScan?.status === 'done') };
}

export interface SatelliteFileAccess {
  file: ScannedFile;
  absolutePath: string;
}

/**
 * A scanned file by its key, if it is still under a configured root. Only paths a scan recorded are
 * ever opened: the URL carries a key, never a path.
 */
export async function getSatelliteFile(db: Database, fileKey: string): Promise<SatelliteFileAccess | null> {
  const file = await findScannedFile(db, fileKey);
  if (!file) return null;
  const root = readScanRoots().roots.find((candidate) => candidate.path === file.root);
  if (!root) return null;
  const absolutePath = path.join(root.path, ...file.relPath.split('/'));
  let real: string;
  try {
    real = fs.realpathSync(absolutePath);
  } catch {
    return null;
  }
  if (!isInside(root.real, real)) return null;
  return { file, absolutePath: real };
}
