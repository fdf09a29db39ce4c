import fs from 'node:fs';
import { expect, type Download, type Locator, type Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { requireE2eEnvironment } from './environment';

/** The registry at /registry. */
export class RegistryPage {
  readonly heading: Locator;
  readonly health: Locator;
  readonly search: Locator;
  readonly flaggedOnly: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Registry', exact: true });
    this.health = page.getByRole('region', { name: 'Database health' });
    this.search = page.getByLabel('Find a table');
    this.flaggedOnly = page.getByLabel('Only tables with flags');
  }

  async goto(): Promise<void> {
    await this.page.goto('/registry');
    await expect(this.heading).toBeVisible();
  }

  group(title: string): Locator {
    return this.page.getByRole('region', { name: title });
  }

  row(table: string): Locator {
    return this.page.locator(`tr[data-table="${table}"]`);
  }

  tableLink(table: string): Locator {
    return this.row(table).getByRole('link', { name: table, exact: true });
  }
}

/** One table or view at /registry/{table} or /satellites/{id}/{table}. */
export class TableBrowserPage {
  readonly column: Locator;
  readonly condition: Locator;
  readonly value: Locator;
  readonly addFilter: Locator;
  readonly activeFilters: Locator;
  readonly rows: Locator;
  readonly total: Locator;
  readonly csv: Locator;
  readonly json: Locator;

  constructor(readonly page: Page) {
    const form = page.getByRole('form', { name: 'Filter the rows' });
    this.column = form.getByLabel('Column');
    this.condition = form.getByLabel('Condition');
    this.value = form.getByLabel('Value');
    this.addFilter = form.getByRole('button', { name: 'Add filter' });
    this.activeFilters = page.getByRole('list', { name: 'Active filters' });
    this.rows = page.locator('tbody tr[data-row-id]');
    this.total = page.getByTestId('row-total');
    this.csv = page.getByRole('link', { name: 'CSV', exact: true });
    this.json = page.getByRole('link', { name: 'JSON', exact: true });
  }

  async filter(
    column: string,
    condition: 'equals' | 'contains' | 'is NULL' | 'is not NULL',
    value = '',
  ): Promise<void> {
    await this.column.selectOption(column);
    await this.condition.selectOption({ label: condition });
    if (value) await this.value.fill(value);
    await this.addFilter.click();
    // The chip comes from the server's answer for the new URL: once it shows, so do the filtered rows.
    await expect(this.activeFilters.getByRole('listitem').filter({ hasText: column })).toBeVisible();
    await expect(this.page.locator('[aria-busy="true"]')).toHaveCount(0);
  }

  /** The values of one column on the current page (by its header position). */
  async columnValues(column: string): Promise<string[]> {
    const headers = await this.page
      .locator('thead th')
      .evaluateAll((cells) => cells.map((cell) => cell.textContent ?? ''));
    const index = headers.findIndex((text) => text.startsWith(column));
    if (index < 0) throw new Error(`No column ${column} in ${headers.join(', ')}`);
    return this.rows.evaluateAll(
      (rows, i) => rows.map((row) => row.querySelectorAll('td')[i]?.textContent ?? ''),
      index,
    );
  }

  /** Downloads an export and returns its text. */
  async download(link: Locator): Promise<{ text: string; download: Download }> {
    const [download] = await Promise.all([this.page.waitForEvent('download'), link.click()]);
    const file = await download.path();
    return { text: fs.readFileSync(file, 'utf8'), download };
  }
}

/** The satellite inventory at /satellites. */
export class SatellitesPage {
  readonly heading: Locator;
  readonly scanButton: Locator;
  readonly progress: Locator;
  readonly violations: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Satellites', exact: true });
    this.scanButton = page.getByRole('button', { name: /Scan FOUNDUPS_ROOT|Scanning/ });
    this.progress = page.getByTestId('scan-progress');
    this.violations = page.getByRole('list', { name: 'Violations' });
  }

  async goto(): Promise<void> {
    await this.page.goto('/satellites');
    await expect(this.heading).toBeVisible();
  }

  violation(kind: 'undocumented' | 'missing', text: string): Locator {
    return this.violations.locator(`li[data-violation="${kind}"]`).filter({ hasText: text });
  }

  file(relPath: string): Locator {
    return this.page.locator(`tr[data-file="${relPath}"]`);
  }
}

/** The SQL console at /sql. */
export class SqlConsolePage {
  readonly heading: Locator;
  readonly editor: Locator;
  readonly run: Locator;
  readonly result: Locator;
  readonly outcome: Locator;
  readonly error: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'SQL', exact: true });
    this.editor = page.getByLabel(/^Statement/);
    this.run = page.getByRole('button', { name: 'Run', exact: true });
    this.result = page.getByTestId('sql-result');
    this.outcome = page.getByTestId('sql-outcome');
    this.error = page.getByTestId('sql-error');
  }

  async goto(): Promise<void> {
    await this.page.goto('/sql');
    await expect(this.heading).toBeVisible();
  }

  async runStatement(text?: string): Promise<void> {
    if (text !== undefined) await this.editor.fill(text);
    await this.run.click();
  }
}

/** Reads the run's database read-only, as the tests check what the server did. */
export function readRunDb<T>(fn: (db: Database.Database) => T): T {
  const db = new Database(requireE2eEnvironment().dbPath, { readonly: true, fileMustExist: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}
