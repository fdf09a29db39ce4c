import fs from 'node:fs';
import fsp, { type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { type Database, sql } from '@/db/database';
import { nowIso, parseDbTime } from '@/lib/time/format';
import {
  DomainEvidence,
  type IngestDomain,
  type TargetTable,
  TIMESTAMP_FIELDS,
  decideDomain,
  parseRecord,
} from './domains';
import { DEFAULT_MAX_LINE_BYTES, readLineBatches } from './reader';
import { walkRoots } from './walk';

// The audit: every *.jsonl under the roots, streamed once — size, lines, blank and malformed lines,
// time range, field sets, the domain it belongs to (with the reason), the source files that append
// to it, and how risky it is to migrate while agents keep writing it.

export const AUDIT_REPORT_VERSION = 1;
export const AUDITS_TABLE = 'modules_console_ingest_audits';
/** Distinct field sets tracked per file; more are counted together as "other". */
const MAX_FIELD_SETS = 1000;
/** Source files larger than this are not searched for writers (generated or vendored code). */
const MAX_SOURCE_BYTES = 2 * 1024 * 1024;
/** Lines around an append-mode open that a file's name may be on to count as written there. */
const NEAR_LINES = 30;
const OUT_OF_ORDER_SLACK_MS = 1000;

export type ConcurrencyRisk = 'high' | 'medium' | 'low';

export interface AuditWriter {
  /** Source file, relative to its root. */
  path: string;
  line: number;
  /** The append-mode statement and how the JSONL file's name reaches it. */
  evidence: string;
}

export interface AuditTimestamp {
  raw: string;
  iso: string;
}

export interface AuditFileReport {
  path: string;
  root: string;
  relativePath: string;
  size: number;
  modifiedAt: string;
  lines: number;
  blankLines: number;
  /** Lines that are not a JSON object: malformed JSON, other JSON values, invalid UTF-8, over-long. */
  malformedLines: number;
  malformedByReason: Record<string, number>;
  /** The last line has no newline (being written, or its writer died mid-line). */
  partialLastLine: boolean;
  bom: boolean;
  crlfLines: number;
  records: number;
  firstTimestamp: AuditTimestamp | null;
  lastTimestamp: AuditTimestamp | null;
  /** Records more than a second earlier than the record before (interleaved or buffered writers). */
  outOfOrder: number;
  peakAppendsPerMinute: number;
  averageAppendsPerHour: number | null;
  fieldSets: { fields: string[]; count: number }[];
  distinctFieldSets: number;
  domain: IngestDomain;
  domainReason: string;
  targetTable: TargetTable | null;
  writers: AuditWriter[];
  concurrencyRisk: ConcurrencyRisk;
  riskReasons: string[];
  error: string | null;
}

export interface AuditReport {
  version: number;
  generatedAt: string;
  roots: string[];
  durationMs: number;
  totals: {
    files: number;
    bytes: number;
    lines: number;
    malformedLines: number;
    blankLines: number;
    sourcesSearched: number;
    byDomain: Partial<Record<IngestDomain, { files: number; bytes: number; lines: number }>>;
    byRisk: Record<ConcurrencyRisk, number>;
  };
  files: AuditFileReport[];
  /** Folders or files that could not be read. */
  errors: { path: string; error: string }[];
}

export interface AuditOptions {
  /** Field sets listed per file (most frequent first). */
  topFieldSets?: number;
  maxLineBytes?: number;
  signal?: AbortSignal;
}

const toPosix = (p: string) => p.split(path.sep).join('/');

function realPath(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return file;
  }
}

// ---------------------------------------------------------------------------------------------
// Writers: append-mode opens in the sources, and the JSONL names that reach them

const APPEND_PATTERNS: readonly RegExp[] = [
  /\bopen\s*\([^#]*?(['"])a\+?b?\1/, // Python open(path, 'a') / open(path, "a", encoding=…)
  /\bopen\s*\([^#]*mode\s*=\s*['"]a/, // open(path, mode='a')
  /\.open\s*\(\s*(?:mode\s*=\s*)?['"]a/, // pathlib: Path(…).open('a')
  /\bappendFile(?:Sync)?\s*\(/, // Node fs.appendFile
  /createWriteStream\s*\([^)]*flags\s*:\s*['"]a/, // Node stream in append mode
  /\bopen(?:Sync)?\s*\([^)]*,\s*['"]a\+?['"]/, // Node fs.open(path, 'a')
  />>\s*\S/, // shell redirection
  /\btee\s+(?:-\w*a\w*|--append)\b/, // tee -a
];

const QUOTED = /(['"`])((?:\\.|(?!\1)[^\\])*?)\1/g;
const BARE_JSONL = /[\w./${}-]*\.jsonl\b/g;
const ASSIGNMENT =
  /^\s*(?:export\s+)?(?:(?:const|let|var|readonly)\s+)?(?:self\.)?([A-Za-z_][\w]*)\s*(?::[^=]+)?=\s*(?:Path\s*\(\s*|os\.path\.join\s*\(\s*)?(['"`])/;

interface SourceScan {
  path: string;
  relative: string;
  lines: string[];
  appendSites: number[];
  /** Path-like literals: line index, text (leading ./ removed). */
  literals: { line: number; value: string }[];
}

function scanSource(file: string, root: string): SourceScan | null {
  let text: string;
  try {
    const stat = fs.statSync(file);
    if (stat.size > MAX_SOURCE_BYTES) return null;
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  if (!text.includes('.jsonl') && !text.includes('>>')) return null;
  const lines = text.split(/\r?\n/);
  const appendSites: number[] = [];
  const literals: SourceScan['literals'] = [];
  lines.forEach((line, index) => {
    if (APPEND_PATTERNS.some((pattern) => pattern.test(line))) appendSites.push(index);
    for (const match of line.matchAll(QUOTED)) {
      const value = match[2]!.replace(/^\.\//, '');
      if (value.includes('/') || value.endsWith('.jsonl')) literals.push({ line: index, value });
    }
    for (const match of line.matchAll(BARE_JSONL))
      literals.push({ line: index, value: match[0].replace(/^\.\//, '') });
  });
  if (appendSites.length === 0) return null;
  return { path: file, relative: toPosix(path.relative(root, file)), lines, appendSites, literals };
}

const endsWithPath = (full: string, tail: string) => full === tail || full.endsWith(`/${tail}`);

/** The append site that writes `literal` (at `line`), with how they connect, or null. */
function linkToAppend(
  scan: SourceScan,
  line: number,
  dynamicName: boolean,
): { site: number; via: string } | null {
  const sites = dynamicName
    ? scan.appendSites.filter((site) => scan.lines[site]!.includes('.jsonl'))
    : scan.appendSites;
  if (sites.length === 0) return null;
  const direct = sites.find((site) => site === line);
  if (direct !== undefined) return { site: direct, via: 'named in the statement' };
  // NAME = "…/file.jsonl" … open(NAME, 'a') or helper(NAME, …) where the helper appends.
  const assigned = ASSIGNMENT.exec(scan.lines[line]!)?.[1];
  if (assigned) {
    const word = new RegExp(`\\b${assigned}\\b`);
    const site = sites.find((s) => word.test(scan.lines[s]!));
    if (site !== undefined) return { site, via: `through ${assigned} (line ${line + 1})` };
    const use = scan.lines.findIndex((text, index) => index !== line && word.test(text));
    if (use >= 0)
      return { site: sites[0]!, via: `through ${assigned} (line ${line + 1}), used on line ${use + 1}` };
  }
  const near = sites.find((site) => Math.abs(site - line) <= NEAR_LINES);
  if (near !== undefined) return { site: near, via: `named on line ${line + 1}` };
  return null;
}

function findWriters(relativePath: string, scans: readonly SourceScan[]): AuditWriter[] {
  const folder = path.posix.dirname(relativePath);
  const writers: AuditWriter[] = [];
  for (const scan of scans) {
    let found: AuditWriter | null = null;
    for (const literal of scan.literals) {
      const value = literal.value;
      let link: ReturnType<typeof linkToAppend> = null;
      if (
        value.endsWith('.jsonl') &&
        !value.includes('{') &&
        !value.includes('$') &&
        endsWithPath(relativePath, value)
      ) {
        link = linkToAppend(scan, literal.line, false);
      } else if (
        !value.endsWith('.jsonl') &&
        folder !== '.' &&
        endsWithPath(folder, value.replace(/\/+$/, ''))
      ) {
        // A folder the source builds file names in (chat_logs / f"{video_id}.jsonl").
        link = linkToAppend(scan, literal.line, true);
      }
      if (link) {
        found = {
          path: scan.relative,
          line: link.site + 1,
          evidence: `${scan.lines[link.site]!.trim().slice(0, 200)} — ${link.via}`,
        };
        break;
      }
    }
    if (found) writers.push(found);
  }
  return writers;
}

// ---------------------------------------------------------------------------------------------
// One file, streamed

function timestampOf(record: Record<string, unknown>): { raw: string; ms: number } | null {
  for (const field of TIMESTAMP_FIELDS) {
    const value = record[field];
    if (value === undefined || value === null) continue;
    const date = parseDbTime(value);
    if (date) return { raw: typeof value === 'string' ? value : String(value), ms: date.getTime() };
  }
  return null;
}

async function auditFile(
  file: string,
  root: string,
  options: Required<Pick<AuditOptions, 'topFieldSets' | 'maxLineBytes'>>,
): Promise<Omit<AuditFileReport, 'writers' | 'concurrencyRisk' | 'riskReasons'>> {
  const relativePath = toPosix(path.relative(root, file)) || path.basename(file);
  const base = {
    // The real path, as ingest records it, so the screen can join a file's audit with its checkpoint.
    path: realPath(file),
    root,
    relativePath,
    size: 0,
    modifiedAt: '',
    lines: 0,
    blankLines: 0,
    malformedLines: 0,
    malformedByReason: {} as Record<string, number>,
    partialLastLine: false,
    bom: false,
    crlfLines: 0,
    records: 0,
    firstTimestamp: null as AuditTimestamp | null,
    lastTimestamp: null as AuditTimestamp | null,
    outOfOrder: 0,
    peakAppendsPerMinute: 0,
    averageAppendsPerHour: null as number | null,
    fieldSets: [] as { fields: string[]; count: number }[],
    distinctFieldSets: 0,
    domain: 'unknown' as IngestDomain,
    domainReason: '',
    targetTable: null as TargetTable | null,
    error: null as string | null,
  };
  let handle: FileHandle;
  try {
    handle = await fsp.open(file, 'r');
  } catch (error) {
    return { ...base, error: (error as Error).message, domainReason: 'unreadable' };
  }
  try {
    const stat = await handle.stat();
    base.size = stat.size;
    base.modifiedAt = stat.mtime.toISOString();
    const evidence = new DomainEvidence();
    const fieldSets = new Map<string, number>();
    let otherFieldSets = 0;
    let minTs: { raw: string; ms: number } | null = null;
    let maxTs: { raw: string; ms: number } | null = null;
    let timestamps = 0;
    let previousMs = -Infinity;
    // Sliding one-minute window over the records' times (in file order) for the peak append rate.
    const window: number[] = [];
    let windowHead = 0;
    const malformed = (code: string) => {
      base.malformedLines += 1;
      base.malformedByReason[code] = (base.malformedByReason[code] ?? 0) + 1;
    };
    for await (const lines of readLineBatches(handle, {
      start: 0,
      end: stat.size,
      firstLineNo: 1,
      maxLineBytes: options.maxLineBytes,
    })) {
      for (const line of lines) {
        base.lines += 1;
        if (line.lineNo === 1 && line.bom) base.bom = true;
        if (line.crlf) base.crlfLines += 1;
        if (!line.terminated) base.partialLastLine = true;
        if (line.overlong) {
          malformed('line_too_long');
          continue;
        }
        if (!line.utf8) {
          malformed('invalid_utf8');
          continue;
        }
        const text = line.buf.toString('utf8', line.start, line.end);
        if (text.trim() === '') {
          base.blankLines += 1;
          continue;
        }
        const parsed = parseRecord(text);
        if (!parsed.ok) {
          // A cut last line is being written (or was cut by a crash): counted, but as partial, not malformed.
          if (line.terminated) malformed(parsed.code);
          continue;
        }
        base.records += 1;
        evidence.add(parsed.record);
        const key = Object.keys(parsed.record).sort().join(',');
        if (fieldSets.has(key) || fieldSets.size < MAX_FIELD_SETS)
          fieldSets.set(key, (fieldSets.get(key) ?? 0) + 1);
        else otherFieldSets += 1;
        const ts = timestampOf(parsed.record);
        if (!ts) continue;
        timestamps += 1;
        if (!minTs || ts.ms < minTs.ms) minTs = ts;
        if (!maxTs || ts.ms > maxTs.ms) maxTs = ts;
        // A second of slack: clocks read just before a write jitter; buffered or interleaved writers lag more.
        if (ts.ms < previousMs - OUT_OF_ORDER_SLACK_MS) base.outOfOrder += 1;
        previousMs = ts.ms;
        window.push(ts.ms);
        while (windowHead < window.length && window[windowHead]! < ts.ms - 60_000) windowHead += 1;
        base.peakAppendsPerMinute = Math.max(base.peakAppendsPerMinute, window.length - windowHead);
        if (windowHead > 4096) {
          window.splice(0, windowHead);
          windowHead = 0;
        }
      }
    }
    const decision = decideDomain(relativePath, evidence);
    const iso = (ts: { raw: string; ms: number } | null) =>
      ts ? { raw: ts.raw, iso: new Date(ts.ms).toISOString() } : null;
    const sets = [...fieldSets.entries()].sort((a, b) => b[1] - a[1]);
    return {
      ...base,
      firstTimestamp: iso(minTs),
      lastTimestamp: iso(maxTs),
      averageAppendsPerHour:
        minTs && maxTs && maxTs.ms > minTs.ms
          ? Math.round((timestamps / ((maxTs.ms - minTs.ms) / 3_600_000)) * 10) / 10
          : null,
      fieldSets: [
        ...sets
          .slice(0, options.topFieldSets)
          .map(([fields, count]) => ({ fields: fields ? fields.split(',') : [], count })),
        ...(otherFieldSets ? [{ fields: ['(other field sets)'], count: otherFieldSets }] : []),
      ],
      distinctFieldSets: fieldSets.size + (otherFieldSets ? 1 : 0),
      domain: decision.domain,
      domainReason: decision.reason,
      targetTable: decision.targetTable,
    };
  } catch (error) {
    return { ...base, error: (error as Error).message, domainReason: 'could not be read to the end' };
  } finally {
    await handle.close();
  }
}

function assessRisk(file: Omit<AuditFileReport, 'concurrencyRisk' | 'riskReasons'>): {
  risk: ConcurrencyRisk;
  reasons: string[];
} {
  const high: string[] = [];
  const medium: string[] = [];
  if (file.writers.length >= 2)
    high.push(`${file.writers.length} writers append to it: ${file.writers.map((w) => w.path).join(', ')}`);
  if (file.peakAppendsPerMinute >= 60) high.push(`bursts of ${file.peakAppendsPerMinute} appends per minute`);
  else if (file.peakAppendsPerMinute >= 10)
    medium.push(`up to ${file.peakAppendsPerMinute} appends per minute`);
  if (file.records > 0 && file.outOfOrder > 0) {
    const share = file.outOfOrder / file.records;
    (share >= 0.01 ? high : medium).push(
      `${file.outOfOrder} records out of time order (interleaved or buffered writers)`,
    );
  }
  if (file.partialLastLine)
    medium.push('the last line has no newline: a write is in progress (or its writer died mid-line)');
  const torn = file.malformedByReason.malformed_json ?? 0;
  if (torn > 0) medium.push(`${torn} malformed lines (torn or foreign writes)`);
  if (file.writers.length === 1 && file.averageAppendsPerHour !== null && file.averageAppendsPerHour >= 60) {
    medium.push(`one writer, about ${Math.round(file.averageAppendsPerHour)} appends per hour`);
  }
  if (high.length) return { risk: 'high', reasons: [...high, ...medium] };
  if (medium.length) return { risk: 'medium', reasons: medium };
  const low =
    file.writers.length === 0
      ? 'no writer found in the sources (a rotated or archived file?)'
      : `one writer, ${file.averageAppendsPerHour === null ? 'rare' : `about ${file.averageAppendsPerHour} appends per hour`}`;
  return { risk: 'low', reasons: [low] };
}

/** Audits every JSONL file under the roots. */
export async function auditJsonl(roots: readonly string[], options: AuditOptions = {}): Promise<AuditReport> {
  const started = Date.now();
  const settings = {
    topFieldSets: options.topFieldSets ?? 10,
    maxLineBytes: options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES,
  };
  const absoluteRoots = roots.map((root) => path.resolve(root));
  const files: AuditFileReport[] = [];
  const errors: AuditReport['errors'] = [];
  let sourcesSearched = 0;
  for (const root of absoluteRoots) {
    const isFolder = fs.existsSync(root) && fs.statSync(root).isDirectory();
    const walked = walkRoots([root], { sources: true });
    errors.push(...walked.errors);
    const base = isFolder ? root : path.dirname(root);
    const scans = walked.sources
      .map((source) => scanSource(source, base))
      .filter((scan): scan is SourceScan => scan !== null);
    sourcesSearched += walked.sources.length;
    for (const file of walked.jsonl) {
      if (options.signal?.aborted) throw new Error('The audit was cancelled.');
      if (files.some((existing) => existing.path === realPath(file))) continue;
      const stats = await auditFile(file, base, settings);
      const withWriters = { ...stats, writers: findWriters(stats.relativePath, scans) };
      const { risk, reasons } = assessRisk(withWriters);
      files.push({ ...withWriters, concurrencyRisk: risk, riskReasons: reasons });
    }
  }
  const totals: AuditReport['totals'] = {
    files: files.length,
    bytes: 0,
    lines: 0,
    malformedLines: 0,
    blankLines: 0,
    sourcesSearched,
    byDomain: {},
    byRisk: { high: 0, medium: 0, low: 0 },
  };
  for (const file of files) {
    totals.bytes += file.size;
    totals.lines += file.lines;
    totals.malformedLines += file.malformedLines;
    totals.blankLines += file.blankLines;
    totals.byRisk[file.concurrencyRisk] += 1;
    const domain = (totals.byDomain[file.domain] ??= { files: 0, bytes: 0, lines: 0 });
    domain.files += 1;
    domain.bytes += file.size;
    domain.lines += file.lines;
  }
  return {
    version: AUDIT_REPORT_VERSION,
    generatedAt: nowIso(),
    roots: absoluteRoots,
    durationMs: Date.now() - started,
    totals,
    files,
    errors,
  };
}

/** Stores a report for the Ingest screen (the newest one is shown); returns its id. */
export async function saveAuditReport(db: Database, report: AuditReport, createdBy: string): Promise<number> {
  const result = await db.run<{ id: number }>(
    sql`INSERT INTO ${sql.raw(AUDITS_TABLE)} (created_at, created_by, roots_json, files, bytes, report_json) VALUES (${nowIso()}, ${createdBy}, ${JSON.stringify(report.roots)}, ${report.totals.files}, ${report.totals.bytes}, ${JSON.stringify(report)}) RETURNING id`,
  );
  return Number(result.rows[0]!.id);
}
