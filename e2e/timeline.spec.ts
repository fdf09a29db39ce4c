import type { Page } from '@playwright/test';
import { expect, test } from './support/fixtures';
import { TimelinePage, insertMetricEvent } from './support/timeline-page';

// The timeline end to end on the run's demo seed (14 days of telemetry up to the seed's `now`).
// Screenshots go to /tmp/timeline-*.png for a look.

const SHOTS = '/tmp';

async function shot(page: Page, name: string, fullPage = false): Promise<void> {
  await page.screenshot({ path: `${SHOTS}/timeline-${name}.png`, fullPage });
}

test.describe.configure({ mode: 'serial' });

test.describe('timeline', () => {
  test('filter by agent and range, page older with the cursor, open an event, reload to the same view', async ({
    viewerPage: page,
  }) => {
    const timeline = new TimelinePage(page);
    await timeline.goto('?range=7d');
    await expect(timeline.rows.first()).toBeVisible();
    await expect(timeline.lanes.locator('svg[data-lane]').first()).toBeVisible();
    await shot(page, 'list');
    await timeline.lanes.screenshot({ path: `${SHOTS}/timeline-lanes.png` });

    // Filter by an agent: the busiest actor in the menu that has more than two pages in 7 days.
    const actors = (await timeline.actorSelect.locator('option').allTextContents()).filter(
      (a) => a !== 'Any',
    );
    expect(actors.length).toBeGreaterThan(0);
    let actor: string | undefined;
    for (const candidate of actors) {
      await timeline.actorSelect.selectOption(candidate);
      await timeline.waitForParams((params) => params.get('actor') === candidate);
      await expect
        .poll(() => timeline.rowActors().then((all) => all.every((a) => a === candidate)))
        .toBe(true);
      if ((await timeline.rows.count()) === 50 && (await timeline.olderLink.count()) > 0) {
        actor = candidate;
        break;
      }
    }
    expect(actor, 'some actor has more than one page of events in 7 days').toBeDefined();

    // Page older three times: no event shows twice, every row stays the agent's.
    const pages: string[][] = [await timeline.rowKeys()];
    for (let i = 0; i < 3 && (await timeline.olderLink.count()) > 0; i++) {
      const before = page.url();
      await timeline.olderLink.click();
      await expect.poll(() => page.url()).not.toBe(before);
      await expect.poll(() => timeline.rowKeys().then((keys) => keys[0] !== pages.at(-1)![0])).toBe(true);
      pages.push(await timeline.rowKeys());
      expect(new Set(await timeline.rowActors())).toEqual(new Set([actor]));
    }
    expect(pages.length).toBeGreaterThanOrEqual(3);
    const seen = pages.flat();
    expect(new Set(seen).size).toBe(seen.length);
    const deepUrl = page.url();
    expect(new URL(deepUrl).searchParams.get('cursor')).toBeTruthy();

    // Reload: the same page of the same filtered view.
    await page.reload();
    await expect(timeline.heading).toBeVisible();
    expect(await timeline.rowKeys()).toEqual(pages.at(-1));
    await expect(timeline.actorSelect).toHaveValue(actor!);

    // "← Newer" walks back through the same pages.
    await timeline.newerLink.click();
    await expect.poll(() => timeline.rowKeys()).toEqual(pages.at(-2));

    // Open the first event of this page: every column, and back to the same list.
    const [source, id] = (await timeline.rowKeys())[0]!.split(':') as [string, string];
    await timeline.rows.first().getByRole('link').first().click();
    await expect(page).toHaveURL(new RegExp(`/timeline/${source}/${id}\\?`));
    const columns = page.getByRole('region', { name: 'Columns' });
    await expect(columns).toBeVisible();
    await expect(columns.getByRole('link', { name: /in the registry browser/ })).toHaveAttribute(
      'href',
      /^\/registry\//,
    );
    await expect(page.getByRole('region', { name: 'Correlated events' })).toBeVisible();
    await shot(page, 'detail', true);
    await page.getByRole('link', { name: '← Back to the timeline' }).click();
    await expect.poll(() => timeline.rowKeys()).toEqual(pages.at(-2));

    // The per-agent view: the same agent across every source.
    await page.getByRole('link', { name: `Everything ${actor} did →` }).click();
    await expect(page.getByRole('heading', { name: `Everything ${actor} did` })).toBeVisible();
    await expect(
      page.getByRole('region', { name: 'Events per source' }).getByRole('link').first(),
    ).toBeVisible();
    await expect(timeline.rows.first()).toBeVisible();
    expect(new Set(await timeline.rowActors())).toEqual(new Set([actor]));
    await shot(page, 'agent', true);
  });

  test('custom range, brush-zoom a chart and the lanes, reload to the same range', async ({
    viewerPage: page,
  }) => {
    const timeline = new TimelinePage(page);
    await timeline.goto('?range=24h');
    await expect(timeline.rangeButton('24h')).toHaveAttribute('aria-pressed', 'true');
    await timeline.volumeChart.scrollIntoViewIfNeeded();
    await expect(timeline.volumeChart.locator('.recharts-wrapper > svg.recharts-surface')).toBeVisible();
    await shot(page, 'charts-top');
    await page.getByRole('region', { name: 'Charts' }).screenshot({ path: `${SHOTS}/timeline-charts.png` });

    await timeline.dragAcross(timeline.volumeChart, 0.35, 0.7);
    const zoomed = await timeline.waitForParams((params) => params.has('from') && params.has('to'));
    expect(zoomed.has('range')).toBe(false);
    const from = new Date(zoomed.get('from')!).getTime();
    const to = new Date(zoomed.get('to')!).getTime();
    expect(to).toBeGreaterThan(from);
    expect(to - from).toBeLessThan(24 * 3600_000);
    await expect(timeline.rangeButton('24h')).toHaveAttribute('aria-pressed', 'false');
    await expect(timeline.fromInput).toHaveValue(zoomed.get('from')!.slice(0, 16));

    await page.reload();
    await expect(timeline.heading).toBeVisible();
    const afterReload = new URL(page.url()).searchParams;
    expect(afterReload.get('from')).toBe(zoomed.get('from'));
    expect(afterReload.get('to')).toBe(zoomed.get('to'));
    await expect(timeline.fromInput).toHaveValue(zoomed.get('from')!.slice(0, 16));

    // Drag across the lanes narrows it again.
    const track = page.getByTestId('timeline-lanes-track');
    await track.scrollIntoViewIfNeeded();
    const box = (await track.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.2, box.y + 10);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.5, box.y + 10, { steps: 4 });
    await page.mouse.up();
    const narrower = await timeline.waitForParams((params) => params.get('from') !== zoomed.get('from'));
    expect(new Date(narrower.get('to')!).getTime() - new Date(narrower.get('from')!).getTime()).toBeLessThan(
      to - from,
    );
    // A zoom is a history entry: Back returns to the previous range.
    await page.goBack();
    await timeline.waitForParams((params) => params.get('from') === zoomed.get('from'));
  });

  test('an empty range says so, and the export honours the filters', async ({ viewerPage: page }) => {
    const timeline = new TimelinePage(page);
    await timeline.goto('?from=2001-01-01T00:00:00.000Z&to=2001-01-01T01:00:00.000Z');
    await expect(timeline.empty).toBeVisible();
    await expect(timeline.empty).toContainText('No events in this range');
    await expect(timeline.volumeChart).toContainText('Nothing in this range');
    await shot(page, 'empty', true);

    await timeline.goto('?range=7d');
    const actor = (await timeline.actorSelect.locator('option').allTextContents()).find((a) => a !== 'Any')!;
    const csv = await page.request.get(
      `/api/timeline/export?format=csv&range=7d&actor=${encodeURIComponent(actor)}`,
    );
    expect(csv.status()).toBe(200);
    expect(csv.headers()['content-type']).toContain('text/csv');
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines[0]).toBe('at,time,source,id,module,actor,type,severity,summary');
    expect(lines.length).toBeGreaterThan(1);
    const json = await page.request.get(
      `/api/timeline/export?format=json&range=7d&actor=${encodeURIComponent(actor)}`,
    );
    const events = (await json.json()) as { actor: string }[];
    expect(events.length).toBeGreaterThan(0);
    expect(new Set(events.map((event) => event.actor))).toEqual(new Set([actor]));
    const bad = await page.request.get('/api/timeline/export?format=csv&range=forever');
    expect(bad.status()).toBe(400);
  });

  test('live mode counts new events without moving the list; agent text stays text', async ({
    viewerPage: page,
  }) => {
    const timeline = new TimelinePage(page);
    const agent = 'e2e_live_agent';
    await timeline.goto(`?range=15m&actor=${agent}`);
    await expect(timeline.empty).toBeVisible();
    const hostile = '<img src=x onerror="window.__pwned=1">';
    const id = insertMetricEvent({ agent, name: hostile, value: 7, at: new Date() });
    // The poll runs every 15 s while the tab is visible, and at once when the tab is shown again.
    await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
    const notice = page.getByRole('status').filter({ hasText: /1 new event/ });
    await expect(notice).toBeVisible();
    // Nothing moved meanwhile: the list still shows what was read.
    await expect(timeline.empty).toBeVisible();
    await notice.click();
    await expect(timeline.rows).toHaveCount(1);
    await expect(timeline.rows.first()).toContainText(`${hostile} = 7 count`);
    await timeline.rows.first().getByRole('link').first().click();
    await expect(page).toHaveURL(new RegExp(`/timeline/metrics/${id}\\?`));
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${hostile} = 7 count`);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  });
});
