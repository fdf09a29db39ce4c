import type { Page } from '@playwright/test';
import { expect, test } from './support/fixtures';
import { TimelinePage, insertMetricEvent } from './support/timeline-page';

// The timeline end to end on the run's demo seed (14 days of telemetry up to the seed's `now`).
// Screenshots go to /tmp/timeline-*.png for a look.

const SHOTS = process.env.E2E_SHOTS_DIR ?? '/tmp';

/** A screenshot for a look; never a reason to fail (a busy machine can time it out). */
async function shot(page: Page, name: string, fullPage = false): Promise<void> {
  await page
    .screenshot({ path: `${SHOTS}/timeline-${name}.png`, fullPage, timeout: 10_000 })
    .catch((error: Error) => console.warn(`screenshot ${name}: ${error.message.split('\n')[0]}`));
}

// Long journeys on a shared two-core machine: more time than the default 30 s per test.
test.describe.configure({ timeout: 120_000 });

test.describe('timeline', () => {
  test('filter by agent and range, page older with the cursor, open an event, reload to the same view', async ({
    viewerPage: page,
  }) => {
    const timeline = new TimelinePage(page);
    await timeline.goto();
    await expect(timeline.rangeButton('24h')).toHaveAttribute('aria-pressed', 'true');
    await timeline.rangeButton('7d').click();
    await timeline.waitForParams((params) => params.get('range') === '7d');
    await expect(timeline.rangeButton('7d')).toHaveAttribute('aria-pressed', 'true');
    await expect(timeline.rows.first()).toBeVisible();
    await expect(timeline.lanes.locator('svg[data-lane]').first()).toBeVisible();
    await shot(page, 'list');
    await timeline.lanes.screenshot({ path: `${SHOTS}/timeline-lanes.png`, timeout: 10_000 }).catch(() => {});

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

  test('an event with JSON columns shows each pretty-printed, with every column of its row', async ({
    viewerPage: page,
  }) => {
    const timeline = new TimelinePage(page);
    await timeline.goto('?range=30d&source=browser');
    await expect(timeline.rows.first()).toBeVisible();
    const [, id] = (await timeline.rowKeys())[0]!.split(':') as [string, string];
    await timeline.rows.first().getByRole('link').first().click();
    await expect(page).toHaveURL(new RegExp(`/timeline/browser/${id}\\?`));
    const columns = page.getByRole('region', { name: 'Columns' });
    await expect(columns.getByRole('heading', { name: `Row id = ${id} of selenium_sessions` })).toBeVisible();
    const names = await columns.getByRole('rowheader').allTextContents();
    expect(names).toEqual(expect.arrayContaining(['id', 'timestamp', 'url', 'analysis_json']));
    const json = columns
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: 'analysis_json' }) });
    // Pretty-printed: one key per line, indented by two spaces.
    await expect(json.locator('pre')).toHaveText(/^\{\n {2}"/);
    await expect(page.getByRole('region', { name: 'Correlated events' })).toContainText(
      'Other sources within ±5 minutes',
    );
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
    await page
      .getByRole('region', { name: 'Charts' })
      .screenshot({ path: `${SHOTS}/timeline-charts.png`, timeout: 10_000 })
      .catch(() => {});

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
    const events = (await json.json()) as { actor: string; at: string }[];
    expect(events.length).toBeGreaterThan(0);
    expect(new Set(events.map((event) => event.actor))).toEqual(new Set([actor]));
    // The range too: a fixed range narrower than the data exports only its own events.
    const to = new Date(events[0]!.at);
    const from = new Date(to.getTime() - 3_600_000);
    const ranged = await page.request.get(
      `/api/timeline/export?format=json&from=${from.toISOString()}&to=${new Date(to.getTime() + 1).toISOString()}&actor=${encodeURIComponent(actor)}`,
    );
    const inRange = (await ranged.json()) as { actor: string; at: string }[];
    expect(inRange.length).toBeGreaterThan(0);
    expect(inRange.length).toBeLessThanOrEqual(events.length);
    for (const event of inRange) {
      expect(event.actor).toBe(actor);
      expect(new Date(event.at).getTime()).toBeGreaterThanOrEqual(from.getTime());
      expect(new Date(event.at).getTime()).toBeLessThanOrEqual(to.getTime());
    }
    expect(inRange.map((event) => event.at)).toEqual(
      events.filter((event) => new Date(event.at) >= from && new Date(event.at) <= to).map((e) => e.at),
    );
    const bad = await page.request.get('/api/timeline/export?format=csv&range=forever');
    expect(bad.status()).toBe(400);
  });

  test('live mode counts new events without moving the list, pauses while hidden; agent text stays text', async ({
    viewerPage: page,
  }) => {
    // The page's timers run on a controlled clock, so 15-second polls take no real time.
    await page.clock.install();
    const polls: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/api/timeline/new') polls.push(request.url());
    });
    const setVisibility = (state: 'visible' | 'hidden') =>
      page.evaluate((value) => {
        Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => value });
        Object.defineProperty(document, 'hidden', { configurable: true, get: () => value === 'hidden' });
        document.dispatchEvent(new Event('visibilitychange'));
      }, state);

    const timeline = new TimelinePage(page);
    const agent = 'e2e_live_agent';
    await timeline.goto(`?range=15m&actor=${agent}`);
    await expect(timeline.empty).toBeVisible();

    // Visible: one poll per 15 s, nothing new yet.
    await page.clock.runFor(16_000);
    await expect.poll(() => polls.length).toBe(1);
    await expect(page.getByRole('status').filter({ hasText: /new event/ })).toHaveCount(0);

    // Hidden: no requests at all, whatever arrives and however long it stays hidden.
    await setVisibility('hidden');
    const before = polls.length;
    const hostile = '<img src=x onerror="window.__pwned=1">';
    const id = insertMetricEvent({ agent, name: hostile, value: 7, at: new Date() });
    await page.clock.runFor(120_000);
    expect(polls.length).toBe(before);

    // Shown again: an immediate check finds the new event; the list the operator reads stays put.
    await setVisibility('visible');
    const notice = page.getByRole('status').filter({ hasText: /1 new event/ });
    await expect(notice).toBeVisible();
    expect(polls.length).toBe(before + 1);
    await expect(timeline.empty).toBeVisible();
    await shot(page, 'live-notice');
    await notice.click();
    await expect(timeline.rows).toHaveCount(1);
    await expect(notice).toHaveCount(0);
    await expect(timeline.rows.first()).toContainText(`${hostile} = 7 count`);
    await timeline.rows.first().getByRole('link').first().click();
    await expect(page).toHaveURL(new RegExp(`/timeline/metrics/${id}\\?`));
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${hostile} = 7 count`);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  });

  test('a new event on an older page is counted, not inserted', async ({ viewerPage: page }) => {
    await page.clock.install();
    const timeline = new TimelinePage(page);
    await timeline.goto('?range=7d');
    await timeline.olderLink.click();
    await expect.poll(() => new URL(page.url()).searchParams.has('cursor')).toBe(true);
    const shown = await timeline.rowKeys();
    insertMetricEvent({ agent: 'e2e_live_older', name: 'older_page_probe', value: 1, at: new Date() });
    await page.clock.runFor(16_000);
    const notice = page.getByRole('status').filter({ hasText: /new event/ });
    await expect(notice).toBeVisible();
    expect(await timeline.rowKeys()).toEqual(shown);
    // Showing them goes to the newest events, the new one first.
    await notice.click();
    await expect.poll(() => new URL(page.url()).searchParams.has('cursor')).toBe(false);
    await expect(timeline.rows.first()).toContainText('older_page_probe');
  });
});
