import type { AuditReport } from './audit';
import type { FileIngestReport, IngestRunReport } from './ingest';
import { formatBytes } from './progress';
import type { VerifyIssueKind, VerifyReport } from './verify';

// Plain-text forms of the audit and ingest reports for the CLI (the JSON forms are the reports
// themselves). The ingest table is the validation report: per file, the lines read and where each went.

const n = (value: number) => value.toLocaleString('en-US');

function table(headers: string[], rows: string[][], alignRight: ReadonlySet<number>): string {
  const widths = headers.map((header, i) => Math.max(header.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (alignRight.has(i) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** The equation each file must satisfy, written out. */
export function reconciliation(file: FileIngestReport): string {
  const parts = [
    `${n(file.alreadyPresent)} already present`,
    `${n(file.inserted)} inserted`,
    `${n(file.rejected)} rejected`,
    `${n(file.blank)} blank`,
  ];
  if (file.pendingPartial) parts.push(`${file.pendingPartial} pending partial`);
  return `${n(file.linesRead)} read = ${parts.join(' + ')} ${file.reconciled ? '✓' : '✗ MISMATCH'}`;
}

export function formatIngestReport(report: IngestRunReport): string {
  const rows = report.files.map((file) => [
    file.status,
    file.relativePath.length > 70 ? `…${file.relativePath.slice(-69)}` : file.relativePath,
    file.targetTable ?? file.domain ?? '-',
    n(file.linesRead),
    n(file.alreadyPresent),
    n(file.inserted),
    n(file.rejected),
    n(file.blank),
    String(file.pendingPartial),
    file.status === 'skipped' || file.status === 'changed' || file.status === 'failed'
      ? '-'
      : file.reconciled && file.databaseCheck?.ok !== false
        ? 'ok'
        : 'MISMATCH',
  ]);
  const t = report.totals;
  const out = [
    table(
      ['status', 'file', 'table', 'read', 'present', 'inserted', 'rejected', 'blank', 'pending', 'check'],
      rows,
      new Set([3, 4, 5, 6, 7, 8]),
    ),
    '',
    `Run ${report.runId} ${report.status} in ${(report.durationMs / 1000).toFixed(1)} s: ${n(t.linesRead)} lines read = ${n(t.alreadyPresent)} already present + ${n(t.inserted)} inserted + ${n(t.rejected)} rejected + ${n(t.blank)} blank + ${n(t.pendingPartial)} pending partial.`,
  ];
  const notes = report.files.filter((file) => file.message);
  if (notes.length) {
    out.push('', ...notes.map((file) => `${file.relativePath}: ${file.message}`));
  }
  const rejectReasons = new Map<string, number>();
  for (const file of report.files)
    for (const [code, count] of Object.entries(file.rejectsByReason))
      rejectReasons.set(code, (rejectReasons.get(code) ?? 0) + (count ?? 0));
  if (rejectReasons.size) {
    out.push(
      '',
      `Rejected lines are quarantined in modules_console_ingest_rejects (run ${report.runId}): ${[...rejectReasons].map(([code, count]) => `${code} ${n(count)}`).join(', ')}.`,
    );
  }
  if (report.batchTimings?.batches)
    out.push(
      '',
      `${n(report.batchTimings.batches)} batch transactions: p50 ${report.batchTimings.p50Ms} ms, p95 ${report.batchTimings.p95Ms} ms, max ${report.batchTimings.maxMs} ms (the write lock is free between them).`,
    );
  if (report.error) out.push('', `Error: ${report.error}`);
  return out.join('\n');
}

export function formatAuditReport(report: AuditReport): string {
  const rows = report.files.map((file) => [
    file.concurrencyRisk,
    file.domain,
    file.relativePath.length > 70 ? `…${file.relativePath.slice(-69)}` : file.relativePath,
    formatBytes(file.size),
    n(file.lines),
    n(file.malformedLines),
    String(file.writers.length),
    file.targetTable ?? '-',
  ]);
  const t = report.totals;
  const out = [
    table(
      ['risk', 'domain', 'file', 'size', 'lines', 'malformed', 'writers', 'target'],
      rows,
      new Set([3, 4, 5, 6]),
    ),
    '',
    `${n(t.files)} JSONL files, ${formatBytes(t.bytes)}, ${n(t.lines)} lines (${n(t.malformedLines)} malformed, ${n(t.blankLines)} blank) in ${Object.keys(t.byDomain).length} domains; risk: ${t.byRisk.high} high, ${t.byRisk.medium} medium, ${t.byRisk.low} low; ${n(t.sourcesSearched)} source files searched for writers.`,
  ];
  const risky = report.files.filter((file) => file.concurrencyRisk === 'high');
  if (risky.length)
    out.push(
      '',
      'High risk:',
      ...risky.map((file) => `  ${file.relativePath}: ${file.riskReasons.join('; ')}`),
    );
  const unknown = report.files.filter((file) => file.domain === 'unknown');
  if (unknown.length)
    out.push(
      '',
      'Unknown domain (ingest with --domain):',
      ...unknown.map((file) => `  ${file.relativePath}: ${file.domainReason}`),
    );
  if (report.errors.length)
    out.push('', 'Unreadable:', ...report.errors.map((error) => `  ${error.path}: ${error.error}`));
  return out.join('\n');
}

const VERIFY_LABELS: Record<VerifyIssueKind, string> = {
  line_missing: 'lines missing from the database',
  line_changed: 'lines changed since ingest',
  row_missing: 'rows deleted',
  row_changed: 'rows changed',
  extra: 'entries with no such line (extra)',
};

export function formatVerifyReport(report: VerifyReport): string {
  const rows = report.files.map((file) => {
    const problems = Object.values(file.counts).reduce((sum, count) => sum + count, 0);
    return [
      file.status,
      file.relativePath.length > 70 ? `…${file.relativePath.slice(-69)}` : file.relativePath,
      n(file.linesChecked),
      n(file.rowsMatched),
      n(file.rejectsMatched),
      n(file.blank),
      n(problems),
      file.bytesNotYetIngested ? formatBytes(file.bytesNotYetIngested) : '-',
    ];
  });
  const t = report.totals;
  const out = [
    table(
      ['status', 'file', 'lines checked', 'rows ok', 'rejects ok', 'blank', 'problems', 'not yet ingested'],
      rows,
      new Set([2, 3, 4, 5, 6, 7]),
    ),
    '',
    `${report.ok ? 'Verified' : 'NOT verified'}: ${n(t.files)} files (${n(t.verified)} ok, ${n(t.mismatched)} mismatched, ${n(t.notIngested)} never ingested, ${n(t.failed)} failed), ${n(t.linesChecked)} lines checked in ${(report.durationMs / 1000).toFixed(1)} s.`,
  ];
  const kinds = (Object.keys(VERIFY_LABELS) as VerifyIssueKind[]).filter((kind) => t[kind] > 0);
  if (kinds.length) out.push(kinds.map((kind) => `${n(t[kind])} ${VERIFY_LABELS[kind]}`).join(', ') + '.');
  for (const file of report.files) {
    if (file.message) out.push('', `${file.relativePath}: ${file.message}`);
    if (file.issues.length) {
      if (!file.message) out.push('', `${file.relativePath}:`);
      out.push(...file.issues.map((issue) => `  ${issue.kind}: ${issue.detail}`));
      const total = Object.values(file.counts).reduce((sum, count) => sum + count, 0);
      if (total > file.issues.length) out.push(`  … and ${n(total - file.issues.length)} more`);
    }
  }
  return out.join('\n');
}
