import fs from 'node:fs';
import path from 'node:path';
import { expect, type Download, type Locator, type Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { requireE2eEnvironment } from './environment';

/** The Ingest screen: the audit at /ingest, runs, rejects and uploads. */
export class IngestPage {
  readonly heading: Locator;
  readonly auditButton: Locator;
  readonly auditPanel: Locator;
  readonly summary: Locator;
  readonly domainSections: Locator;
  readonly fileRows: Locator;
  readonly runProgress: Locator;
  readonly reconciliation: Locator;
  readonly adminsOnly: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Ingest', exact: true });
    this.auditButton = page.getByRole('button', { name: /^Run (a new|an) audit$/ });
    this.auditPanel = page.getByRole('region', { name: 'Audit', exact: true });
    this.summary = page.getByRole('region', { name: 'Audit summary' });
    this.domainSections = page.locator('section[data-domain]');
    this.fileRows = page.locator('tr[data-file]');
    this.runProgress = page.getByTestId('run-progress');
    this.reconciliation = page.getByTestId('run-reconciliation');
    this.adminsOnly = page.getByRole('region', { name: 'Admins only' });
  }

  async goto(section: '' | '/runs' | '/rejects' | '/upload' = ''): Promise<void> {
    await this.page.goto(`/ingest${section}`);
    await expect(this.heading).toBeVisible();
  }

  /** Runs an audit and waits for its report. */
  async runAudit(): Promise<void> {
    await this.auditButton.click();
    await expect(this.auditPanel.getByRole('status').filter({ hasText: /Audited \d+ files/ })).toBeVisible({
      timeout: 60_000,
    });
  }

  domain(domain: string): Locator {
    return this.page.locator(`section[data-domain="${domain}"]`);
  }

  file(relativePath: string): Locator {
    return this.page.locator(`tr[data-file="${relativePath}"]`);
  }

  tab(name: 'Audit' | 'Runs' | 'Rejects' | 'Upload'): Locator {
    return this.page
      .getByRole('navigation', { name: 'Ingest sections' })
      .getByRole('link', { name, exact: true });
  }

  /** Downloads from a link and returns the file's bytes. */
  async download(link: Locator): Promise<{ bytes: Buffer; download: Download }> {
    const [download] = await Promise.all([this.page.waitForEvent('download'), link.click()]);
    return { bytes: fs.readFileSync(await download.path()), download };
  }
}

/** The numbers of "N read = a already present + b inserted + c rejected + d blank [+ e pending partial]". */
export interface Reconciliation {
  read: number;
  present: number;
  inserted: number;
  rejected: number;
  blank: number;
  pending: number;
}

export function parseReconciliation(text: string): Reconciliation {
  const number = (pattern: RegExp) => Number((pattern.exec(text)?.[1] ?? '0').replaceAll(',', ''));
  const read = /([\d,]+) read =/.exec(text);
  if (!read) throw new Error(`Not a reconciliation: ${text}`);
  return {
    read: Number(read[1]!.replaceAll(',', '')),
    present: number(/([\d,]+) already present/),
    inserted: number(/([\d,]+) inserted/),
    rejected: number(/([\d,]+) rejected/),
    blank: number(/([\d,]+) blank/),
    pending: number(/([\d,]+) pending partial/),
  };
}

/** Reads the run's database read-only, as the tests check what the server did. */
export function queryRunDb<T>(fn: (db: Database.Database) => T): T {
  const db = new Database(requireE2eEnvironment().dbPath, { readonly: true, fileMustExist: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

/**
 * A large metrics log in the demo root (the seeded files are small): ingesting it takes long enough
 * to watch the progress. Returns its path relative to the root.
 */
export function writeBulkMetricsFile(lines: number): string {
  const relative = 'holo_index/logs/archive/search_metrics.2026-10.jsonl';
  const file = path.join(requireE2eEnvironment().rootDir, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const out = fs.openSync(file, 'w');
  try {
    const start = Date.UTC(2026, 9, 1);
    let chunk = '';
    for (let i = 0; i < lines; i++) {
      chunk += `${JSON.stringify({
        timestamp: new Date(start + i * 1000).toISOString(),
        metric: 'search_latency_ms',
        value: (i % 997) + 0.5,
        unit: 'ms',
        module: 'holo_index',
        agent_id: 'archive',
      })}\n`;
      if (chunk.length > 1 << 20) {
        fs.writeSync(out, chunk);
        chunk = '';
      }
    }
    fs.writeSync(out, chunk);
  } finally {
    fs.closeSync(out);
  }
  return relative;
}
