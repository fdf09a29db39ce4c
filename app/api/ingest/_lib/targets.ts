import 'server-only';
import fs from 'node:fs';
import path from 'node:path';
import type { AuditFileReport } from '@/lib/ingest/audit';
import { type RootsConfig, isInside } from '@/lib/satellites/roots';
import type { BackgroundIngestRequest } from './background-runs';
import { resolveUpload } from './uploads';
import type { StartIngestRequest } from './validations';

// What an Ingest button means in files. The browser names a file (by the path the audit reported), a
// domain, "all", or an upload: each is looked up in the latest stored audit (and must still lie under
// FOUNDUPS_ROOT) or in the uploads folder. A path the audit never reported is refused, so the screen
// cannot be used to read arbitrary files on the server.

export type TargetResult =
  | { ok: true; request: BackgroundIngestRequest; label: string; skippedUnknown: number }
  | { ok: false; error: string };

function realOrNull(file: string): string | null {
  try {
    return fs.realpathSync(file);
  } catch {
    return null;
  }
}

/** The deepest folder containing every given folder. */
export function commonFolder(folders: readonly string[]): string {
  if (folders.length === 0) return path.sep;
  let parts = path.resolve(/*turbopackIgnore: true*/ folders[0]!).split(path.sep);
  for (const folder of folders.slice(1)) {
    const other = path.resolve(/*turbopackIgnore: true*/ folder).split(path.sep);
    let i = 0;
    while (i < parts.length && i < other.length && parts[i] === other[i]) i += 1;
    parts = parts.slice(0, i);
  }
  return parts.join(path.sep) || path.sep;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * Files of the latest audit for a file / domain / all request. Files gone from disk or no longer under
 * a configured root are refused (one named file) or left out with a note (several).
 */
export function resolveAuditTargets(
  request: Extract<StartIngestRequest, { scope: 'file' | 'domain' | 'all' }>,
  audit: { files: readonly AuditFileReport[] } | null,
  roots: RootsConfig,
  /** Paths ingested before: a file of unknown domain continues with the domain chosen then. */
  ingested: ReadonlySet<string> = new Set(),
): TargetResult {
  if (!audit) return { ok: false, error: 'No audit has run yet: run one, then ingest its files.' };
  if (roots.roots.length === 0)
    return {
      ok: false,
      error: `Files can only be ingested from FOUNDUPS_ROOT, which is not usable: ${roots.problems.join(' ')}`,
    };
  const underRoot = (file: AuditFileReport) => {
    const real = realOrNull(file.path);
    return real !== null && roots.roots.some((root) => isInside(root.real, real));
  };
  let files: AuditFileReport[];
  let label: string;
  let skippedUnknown = 0;
  if (request.scope === 'file') {
    const file = audit.files.find((entry) => entry.path === request.path);
    if (!file)
      return {
        ok: false,
        error: 'The latest audit lists no such file; run a new audit and pick the file from it.',
      };
    if (realOrNull(file.path) === null)
      return {
        ok: false,
        error: `${file.relativePath} is no longer on disk; run a new audit to see what is there now.`,
      };
    if (!underRoot(file))
      return {
        ok: false,
        error: `${file.relativePath} is not under FOUNDUPS_ROOT any more; run a new audit.`,
      };
    if (file.domain === 'unknown' && !request.domain && !ingested.has(file.path))
      return {
        ok: false,
        error: `The audit could not tell which domain ${file.relativePath} belongs to (${file.domainReason}); choose one to ingest it.`,
      };
    files = [file];
    label = file.relativePath;
  } else {
    const candidates =
      request.scope === 'domain'
        ? audit.files.filter((file) => file.domain === request.domain)
        : audit.files.filter((file) => {
            if (file.domain !== 'unknown' || ingested.has(file.path)) return true;
            skippedUnknown += 1;
            return false;
          });
    files = candidates.filter(underRoot);
    const gone = candidates.length - files.length;
    if (files.length === 0)
      return {
        ok: false,
        error:
          request.scope === 'domain'
            ? `The latest audit has no ${request.domain} file still on disk under FOUNDUPS_ROOT.`
            : 'The latest audit has no file of a known domain still on disk under FOUNDUPS_ROOT.',
      };
    label = `${request.scope === 'domain' ? `the ${request.domain} domain` : 'every file'} (${plural(files.length, 'file')}${gone ? `; ${gone} no longer on disk left out` : ''})`;
  }
  // Relative paths (which detection reads) are taken from the files' own root.
  const fileRoots = [...new Set(files.map((file) => realOrNull(file.root) ?? file.root))];
  return {
    ok: true,
    label,
    skippedUnknown,
    request: {
      paths: files.map((file) => file.path),
      root: fileRoots.length === 1 ? fileRoots[0]! : commonFolder(fileRoots),
      domain: request.scope === 'file' ? request.domain : undefined,
      finalize: request.finalize,
      acceptRewrite: request.scope === 'file' ? request.acceptRewrite : false,
    },
  };
}

/** A stored upload by its name. */
export function resolveUploadTarget(
  request: Extract<StartIngestRequest, { scope: 'upload' }>,
  dir: string,
): TargetResult {
  const file = resolveUpload(request.name, dir);
  if (!file) return { ok: false, error: `There is no uploaded file named ${request.name}.` };
  return {
    ok: true,
    label: request.name,
    skippedUnknown: 0,
    request: { paths: [file], root: dir, domain: request.domain, finalize: request.finalize },
  };
}
