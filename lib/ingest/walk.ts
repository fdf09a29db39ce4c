import fs from 'node:fs';
import path from 'node:path';

// Walking a system root: the JSONL files to audit or ingest, and the source files that may write
// them. Folders of dependencies, VCS data and build output are skipped; symbolic links are not
// followed (a link back up the tree would loop, and a linked folder is someone else's tree).

export const SKIPPED_DIRS: ReadonlySet<string> = new Set([
  'node_modules',
  '.git',
  '.hg',
  '.svn',
  '.next',
  'dist',
  'build',
  '__pycache__',
  'venv',
  '.venv',
  '.tox',
  '.mypy_cache',
  '.pytest_cache',
]);

export const SOURCE_EXTENSIONS: ReadonlySet<string> = new Set([
  '.py',
  '.ts',
  '.tsx',
  '.js',
  '.mjs',
  '.cjs',
  '.sh',
]);

export interface WalkResult {
  jsonl: string[];
  sources: string[];
  /** Folders or files that could not be read, with why (the walk goes on without them). */
  errors: { path: string; error: string }[];
}

/** Every *.jsonl (and source file, when asked) under the roots; absolute paths, sorted, deduplicated. */
export function walkRoots(roots: readonly string[], options: { sources?: boolean } = {}): WalkResult {
  const jsonl = new Set<string>();
  const sources = new Set<string>();
  const errors: WalkResult['errors'] = [];
  const visit = (dir: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      errors.push({ path: dir, error: (error as Error).message });
      return;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) visit(full);
      } else if (entry.isFile()) {
        if (entry.name.toLowerCase().endsWith('.jsonl')) jsonl.add(full);
        else if (options.sources && SOURCE_EXTENSIONS.has(path.extname(entry.name).toLowerCase()))
          sources.add(full);
      }
    }
  };
  for (const root of roots) {
    const absolute = path.resolve(root);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(absolute);
    } catch (error) {
      errors.push({ path: absolute, error: (error as Error).message });
      continue;
    }
    if (stat.isDirectory()) visit(absolute);
    else if (stat.isFile()) jsonl.add(absolute);
    else errors.push({ path: absolute, error: 'not a file or folder' });
  }
  return { jsonl: [...jsonl].sort(), sources: [...sources].sort(), errors };
}
