import fs from 'node:fs/promises';
import path from 'node:path';
import { type ScanRoot, isInside } from './roots';

/**
 * Finds SQLite files under the scan roots without opening any as a database: names ending in .db,
 * .sqlite or .sqlite3, and other files that start with the SQLite header. node_modules and .git are
 * skipped. Symbolic links are followed only when they resolve inside the same root (and each folder is
 * walked once, so a link loop ends); a link leading out of the root is reported, not followed.
 * Asynchronous I/O only: the walk never holds the event loop.
 */

export const SKIPPED_FOLDERS = new Set(['node_modules', '.git']);
const SQLITE_EXTENSIONS = /\.(db|sqlite|sqlite3)$/i;
const SIDE_FILES = /-(wal|shm|journal)$/i;
const SQLITE_MAGIC = Buffer.from('SQLite format 3\u0000', 'latin1');

export interface DiscoveredFile {
  root: ScanRoot;
  /** Absolute path with symlinks resolved (what is opened). */
  realPath: string;
  /** Path relative to the root, '/'-separated, as the walk reached it. */
  relativePath: string;
  sizeBytes: number;
  modifiedAt: Date;
  reason: 'extension' | 'header';
}

export interface DiscoveryResult {
  files: DiscoveredFile[];
  entriesSeen: number;
  /** Relative paths of symbolic links that lead out of their root (not followed). */
  skippedLinks: string[];
  /** Folders or files that could not be read, with the reason. */
  errors: string[];
}

async function hasSqliteHeader(file: string): Promise<boolean> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(file, 'r');
    const buffer = Buffer.alloc(16);
    const { bytesRead } = await handle.read(buffer, 0, 16, 0);
    return bytesRead === 16 && buffer.equals(SQLITE_MAGIC);
  } catch {
    return false;
  } finally {
    await handle?.close();
  }
}

export interface DiscoveryOptions {
  onProgress?: (entriesSeen: number, found: number) => void;
  signal?: AbortSignal;
}

export async function discoverSqliteFiles(
  roots: readonly ScanRoot[],
  options: DiscoveryOptions = {},
): Promise<DiscoveryResult> {
  const result: DiscoveryResult = { files: [], entriesSeen: 0, skippedLinks: [], errors: [] };
  const seenFiles = new Set<string>();
  for (const root of roots) {
    const visited = new Set<string>([root.real]);
    const stack: { dir: string; relative: string }[] = [{ dir: root.real, relative: '' }];
    while (stack.length > 0) {
      if (options.signal?.aborted) return result;
      const { dir, relative } = stack.pop()!;
      let entries: import('node:fs').Dirent[];
      try {
        entries = await fs.readdir(dir, { withFileTypes: true });
      } catch (error) {
        result.errors.push(`${relative || '.'}: ${(error as Error).message}`);
        continue;
      }
      entries.sort((a, b) => (a.name < b.name ? 1 : a.name > b.name ? -1 : 0));
      for (const entry of entries) {
        result.entriesSeen++;
        if (result.entriesSeen % 500 === 0) options.onProgress?.(result.entriesSeen, result.files.length);
        const full = path.join(dir, entry.name);
        const rel = relative ? `${relative}/${entry.name}` : entry.name;
        let target = full;
        let isDir = entry.isDirectory();
        let isFile = entry.isFile();
        if (entry.isSymbolicLink()) {
          try {
            target = await fs.realpath(full);
          } catch {
            result.errors.push(`${rel}: broken symbolic link`);
            continue;
          }
          if (!isInside(root.real, target)) {
            result.skippedLinks.push(rel);
            continue;
          }
          const stat = await fs.stat(target).catch(() => null);
          isDir = stat?.isDirectory() ?? false;
          isFile = stat?.isFile() ?? false;
        }
        if (isDir) {
          if (SKIPPED_FOLDERS.has(entry.name) || visited.has(target)) continue;
          visited.add(target);
          stack.push({ dir: target, relative: rel });
          continue;
        }
        if (!isFile || SIDE_FILES.test(entry.name) || seenFiles.has(target)) continue;
        let stat: import('node:fs').Stats;
        try {
          stat = await fs.stat(target);
        } catch (error) {
          result.errors.push(`${rel}: ${(error as Error).message}`);
          continue;
        }
        let reason: DiscoveredFile['reason'] | null = null;
        if (SQLITE_EXTENSIONS.test(entry.name)) reason = 'extension';
        // A database file is a whole number of pages (512 bytes at least), which spares reading most files.
        else if (stat.size >= 512 && stat.size % 512 === 0 && (await hasSqliteHeader(target)))
          reason = 'header';
        if (!reason) continue;
        seenFiles.add(target);
        result.files.push({
          root,
          realPath: target,
          relativePath: rel,
          sizeBytes: stat.size,
          modifiedAt: stat.mtime,
          reason,
        });
      }
    }
  }
  options.onProgress?.(result.entriesSeen, result.files.length);
  result.files.sort(
    (a, b) => a.root.path.localeCompare(b.root.path) || a.relativePath.localeCompare(b.relativePath),
  );
  return result;
}
