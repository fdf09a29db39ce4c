import fs from 'node:fs';
import path from 'node:path';

/**
 * FOUNDUPS_ROOT: the FoundUps system's root folder(s) to scan for satellite databases, several joined
 * with the OS path delimiter (':' on Linux and macOS). Each must be absolute or relative to the
 * console's working directory, exist, and be a folder. One bad entry refuses the whole scan: a scan
 * of only some roots would report every satellite under the others as "documented but missing".
 */

export interface ScanRoot {
  /** As written in FOUNDUPS_ROOT. */
  given: string;
  /** Absolute path. */
  path: string;
  /** With symlinks resolved: the boundary a scan never leaves. */
  real: string;
}

export interface RootsConfig {
  raw: string | null;
  roots: ScanRoot[];
  /** One sentence per refused entry; the scan does not start while there is any. */
  problems: string[];
}

export const ROOT_VARIABLE = 'FOUNDUPS_ROOT';

export function readScanRoots(
  env: Readonly<Record<string, string | undefined>> = process.env,
  cwd: string = process.cwd(),
): RootsConfig {
  const raw = env[ROOT_VARIABLE]?.trim() || null;
  if (!raw) {
    return {
      raw,
      roots: [],
      problems: [
        `${ROOT_VARIABLE} is not set: set it to the FoundUps repository's root folder (several folders separated by "${path.delimiter}").`,
      ],
    };
  }
  const roots: ScanRoot[] = [];
  const problems: string[] = [];
  for (const entry of raw.split(path.delimiter)) {
    const given = entry.trim();
    if (!given) continue;
    const absolute = path.resolve(/*turbopackIgnore: true*/ cwd, given);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(absolute);
    } catch {
      problems.push(`${ROOT_VARIABLE} entry "${given}" does not exist (resolved to ${absolute}).`);
      continue;
    }
    if (!stat.isDirectory()) {
      problems.push(`${ROOT_VARIABLE} entry "${given}" is a file, not a folder (${absolute}).`);
      continue;
    }
    let real: string;
    try {
      fs.accessSync(absolute, fs.constants.R_OK | fs.constants.X_OK);
      real = fs.realpathSync(absolute);
    } catch {
      problems.push(`${ROOT_VARIABLE} entry "${given}" cannot be read by this user (${absolute}).`);
      continue;
    }
    roots.push({ given, path: absolute, real });
  }
  if (roots.length === 0 && problems.length === 0) problems.push(`${ROOT_VARIABLE} names no folder.`);
  // A root inside another root would be scanned twice: keep the outer one.
  const distinct = roots.filter(
    (root, i) =>
      !roots.some(
        (other, j) =>
          j !== i && (other.real === root.real ? j < i : root.real.startsWith(other.real + path.sep)),
      ),
  );
  return { raw, roots: distinct, problems };
}

/** Whether `candidate` (a real path) is `root` or inside it. */
export function isInside(root: string, candidate: string): boolean {
  return candidate === root || candidate.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}
