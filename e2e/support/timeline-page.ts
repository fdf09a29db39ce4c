import { expect, type Locator, type Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { requireE2eEnvironment } from './environment';

/** The timeline at /timeline and an event's detail page. */
export class TimelinePage {
  readonly heading: Locator;
  readonly rows: Locator;
  readonly actorSelect: Locator;
  readonly sourceSelect: Locator;
  readonly search: Locator;
  readonly fromInput: Locator;
  readonly toInput: Locator;
  readonly olderLink: Locator;
  readonly newerLink: Locator;
  readonly lanes: Locator;
  readonly volumeChart: Locator;
  readonly empty: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Timeline', exact: true });
    this.rows = page.locator('tbody tr[data-event]');
    this.actorSelect = page.getByLabel('Actor', { exact: true });
    this.sourceSelect = page.getByLabel('Source', { exact: true });
    this.search = page.getByLabel('Search summaries');
    this.fromInput = page.getByLabel('From (UTC)');
    this.toInput = page.getByLabel('To (UTC)');
    const pager = page.getByRole('navigation', { name: 'Pages' }).first();
    this.olderLink = pager.getByRole('link', { name: 'Older →' });
    this.newerLink = pager.getByRole('link', { name: '← Newer' });
    this.lanes = page.getByRole('region', { name: 'Lanes' });
    this.volumeChart = page.getByTestId('chart-volume');
    this.empty = page.getByTestId('timeline-empty');
  }

  async goto(search = ''): Promise<void> {
    await this.page.goto(`/timeline${search}`);
    await expect(this.heading).toBeVisible();
  }

  rangeButton(preset: string): Locator {
    return this.page
      .getByRole('group', { name: 'Time range' })
      .getByRole('button', { name: preset, exact: true });
  }

  /** 'source:id' of every row shown, top to bottom. */
  async rowKeys(): Promise<string[]> {
    return this.rows.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-event') ?? ''));
  }

  /** The actor column of every row. */
  async rowActors(): Promise<string[]> {
    return this.rows.evaluateAll((rows) => rows.map((row) => row.children[3]?.textContent?.trim() ?? ''));
  }

  /** Waits until the URL's search params satisfy `check`. */
  async waitForParams(check: (params: URLSearchParams) => boolean): Promise<URLSearchParams> {
    await expect.poll(() => check(new URL(this.page.url()).searchParams)).toBe(true);
    return new URL(this.page.url()).searchParams;
  }

  /** Drags across a chart's plot from one fraction of its width to another. */
  async dragAcross(chart: Locator, fromFraction: number, toFraction: number): Promise<void> {
    const surface = chart.locator('.recharts-wrapper > svg.recharts-surface');
    await expect(surface).toBeVisible();
    const box = (await surface.boundingBox())!;
    const y = box.y + box.height * 0.4;
    await this.page.mouse.move(box.x + box.width * fromFraction, y);
    await this.page.mouse.down();
    for (const step of [0.25, 0.5, 0.75, 1])
      await this.page.mouse.move(box.x + box.width * (fromFraction + (toFraction - fromFraction) * step), y);
    await this.page.mouse.up();
  }
}

/** Writes one metric event into the run's database, as an agent would (its text is untrusted). */
export function insertMetricEvent(event: { agent: string; name: string; value: number; at: Date }): number {
  const db = new Database(requireE2eEnvironment().dbPath, { fileMustExist: true });
  try {
    const result = db
      .prepare(
        'INSERT INTO metrics_events (metric_name, value, unit, source_module, agent_id, recorded_at) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(event.name, event.value, 'count', 'e2e_module', event.agent, event.at.toISOString());
    return Number(result.lastInsertRowid);
  } finally {
    db.close();
  }
}
