import type { Page } from '@playwright/test';
import { expect, test } from './support/fixtures';
import {
  RegistryPage,
  SatellitesPage,
  SqlConsolePage,
  TableBrowserPage,
  readRunDb,
} from './support/registry-page';

// The registry, the satellite inventory and the SQL console end to end, on the run's seeded database
// and demo root (FOUNDUPS_ROOT). Screenshots of each screen go to /tmp/registry-*.png.

const SHOTS = '/tmp';

async function shot(page: Page, name: string, fullPage = false): Promise<void> {
  await page.screenshot({ path: `${SHOTS}/registry-${name}.png`, fullPage });
}

async function darkMode(page: Page): Promise<void> {
  const url = new URL(page.url() === 'about:blank' ? 'http://127.0.0.1' : page.url());
  await page.context().addCookies([{ name: 'fu_theme', value: 'dark', domain: url.hostname, path: '/' }]);
}

test.describe.configure({ mode: 'serial' });

test.describe('registry and table browser', () => {
  test('registry → table → filter → export: the CSV holds exactly the filtered rows', async ({
    viewerPage: page,
  }) => {
    // Many steps and two downloads on a shared two-core machine: give the flow three times the budget.
    test.slow();
    const registry = new RegistryPage(page);
    await registry.goto();
    await expect(registry.health).toContainText('Journal mode');
    await expect(registry.group('agents_* (AgentDB)')).toBeVisible();
    await expect(registry.group('modules_chat_rules_* (module chat_rules)')).toBeVisible();
    await expect(registry.group('foundups_youtube_bot_* (FoundUp youtube_bot)')).toBeVisible();
    await expect(registry.row('permission_events')).toContainText('unprefixed');
    await shot(page, 'registry');
    await shot(page, 'registry-full', true);

    await registry.search.fill('social');
    await expect(registry.row('permission_events')).toBeHidden();
    await registry.tableLink('agents_social_posts').click();
    await expect(page.getByRole('heading', { name: 'agents_social_posts', exact: true })).toBeVisible();

    const browser = new TableBrowserPage(page);
    const pending = readRunDb(
      (db) =>
        (
          db
            .prepare("SELECT count(*) AS n FROM agents_social_posts WHERE status = 'pending_review'")
            .get() as { n: number }
        ).n,
    );
    expect(pending).toBeGreaterThan(0);
    await browser.filter('status', 'equals', 'pending_review');
    await expect(page).toHaveURL(/f\.status=eq%3Apending_review/);
    await expect(browser.total).toContainText(`Matching: ${pending} rows`);
    expect(new Set(await browser.columnValues('status'))).toEqual(new Set(['pending_review']));
    await shot(page, 'table');

    // A JSON cell opens in an expand view, pretty-printed.
    await page.getByRole('button', { name: 'Expand the metadata value' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'metadata value' });
    await expect(dialog).toBeVisible();
    await shot(page, 'json-expand');
    await dialog.getByRole('button', { name: 'Close' }).click();

    const { text, download } = await browser.download(browser.csv);
    expect(download.suggestedFilename()).toMatch(/^agents_social_posts-.*\.csv$/);
    const lines = text
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]!.split(',')).toContain('status');
    // Every pending post, nothing else (multi-line contents are quoted, so count records by post id).
    const ids = readRunDb((db) =>
      (
        db.prepare("SELECT post_id FROM agents_social_posts WHERE status = 'pending_review'").all() as {
          post_id: string;
        }[]
      ).map((row) => row.post_id),
    );
    for (const id of ids) expect(text).toContain(id);
    expect(text.match(/pending_review/g)?.length).toBeGreaterThanOrEqual(pending);
    expect(text).not.toMatch(/,(approved|rejected|posted|draft),/);

    const json = await browser.download(browser.json);
    const rows = JSON.parse(json.text) as { status: string }[];
    expect(rows).toHaveLength(pending);
    expect(new Set(rows.map((row) => row.status))).toEqual(new Set(['pending_review']));
  });

  test('names that are not in the catalogue answer 404 (the status, not only the page), never part of a query', async ({
    viewerPage: page,
  }) => {
    for (const path of [
      '/registry/agents_social_posts%22%3B%20DROP%20TABLE%20agents_social_posts%3B%20--',
      '/registry/no_such_table',
      '/registry/agents_social_posts?f.nope=eq:1',
      '/registry/agents_social_posts?f.status%22%3B%20DROP%20TABLE%20x%3B--=eq:1',
      '/registry/agents_social_posts?sort=status.sideways',
      '/registry/agents_social_posts?sort=nope.asc',
      '/registry/agents_social_posts?f.status=like:%25',
    ]) {
      // Table pages check the name and the URL's columns before anything streams, so the status line
      // itself says 404 (no loading boundary sits above the check).
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(404);
      await expect(page.getByRole('heading', { name: 'No such table or view' }), path).toBeVisible();
    }
    // The same page with a real table and column is fine.
    expect((await page.goto('/registry/agents_social_posts?f.status=eq:pending_review'))?.status()).toBe(200);
    const posts = readRunDb(
      (db) => (db.prepare('SELECT count(*) AS n FROM agents_social_posts').get() as { n: number }).n,
    );
    expect(posts).toBeGreaterThan(0);
    // The export route answers with a 404 status too, and a column name in the sort never reaches SQL.
    for (const query of [
      'table=nope&format=csv',
      'table=agents_social_posts&format=csv&f.nope=eq:1',
      `table=${encodeURIComponent('agents_social_posts"; DROP TABLE agents_social_posts; --')}&format=csv`,
      `table=agents_social_posts&format=csv&sort=${encodeURIComponent('status"; DROP TABLE x; --')}.asc`,
    ]) {
      const response = await page.request.get(`/api/export/table?${query}`);
      expect([400, 404], query).toContain(response.status());
      expect(await response.text(), query).not.toMatch(/SQLITE|syntax error/i);
    }
    expect(
      readRunDb(
        (db) => (db.prepare('SELECT count(*) AS n FROM agents_social_posts').get() as { n: number }).n,
      ),
    ).toBe(posts);
  });

  test('every other page that can find nothing answers 404 too', async ({ adminPage: page }) => {
    test.slow();
    const eventId = readRunDb(
      (db) => (db.prepare('SELECT max(id) AS id FROM permission_events').get() as { id: number }).id,
    );
    const postId = readRunDb(
      (db) =>
        (db.prepare('SELECT post_id FROM agents_social_posts LIMIT 1').get() as { post_id: string }).post_id,
    );
    // The browser shows the not-found page with the status…
    const response = await page.goto('/review/no-such-post');
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { name: 'No such post' })).toBeVisible();
    // …and every route that looks something up answers 404 as the status line (the signed-in
    // session's plain GET: the HTML holds the route's own not-found text).
    for (const [path, heading] of [
      [`/review/${'x'.repeat(300)}`, 'No such post'],
      ['/timeline/permissions/999999999', 'No such event'],
      ['/timeline/no_such_source/1', 'No such event'],
      ['/ingest/runs/999999', 'No such run'],
      ['/ingest/runs/not-a-number', 'No such run'],
      ['/satellites/no-such-file', 'No such satellite file or table'],
      ['/satellites/no-such-file/violations', 'No such satellite file or table'],
      ['/no-such-section', 'Not found'],
    ] as const) {
      const answer = await page.request.get(path);
      expect(answer.status(), path).toBe(404);
      expect(await answer.text(), path).toContain(heading);
    }
    // …while the same routes with real ids answer 200.
    for (const path of [`/review/${encodeURIComponent(postId)}`, `/timeline/permissions/${eventId}`]) {
      expect((await page.request.get(path)).status(), path).toBe(200);
    }
  });
});

test.describe('satellites', () => {
  test('a scan of the demo root runs in the background and flags the undocumented satellites', async ({
    adminPage: page,
  }) => {
    test.slow();
    const satellites = new SatellitesPage(page);
    await satellites.goto();
    await satellites.scanButton.click();
    await expect(satellites.progress).toBeVisible();
    if (await satellites.progress.getByText(/Scan in progress/).isVisible())
      await shot(page, 'satellites-scanning');
    await expect(satellites.progress).toContainText(/done/, { timeout: 30_000 });
    for (const path of [
      'modules/communication/livechat/data/cache.db',
      'modules/ai_intelligence/pqn_alignment/data/pqn_results.sqlite',
      'modules/communication/livechat/memory/chat_history.db',
    ]) {
      await expect(satellites.violation('undocumented', path)).toBeVisible();
    }
    await expect(satellites.file('holo_index/vectors/chroma.sqlite3')).toContainText('ChromaDB');
    await expect(satellites.file('holo_index/vectors/chroma.sqlite3')).toContainText('**/chroma.sqlite3');
    await expect(page.locator('tr[data-file^="node_modules/"]')).toHaveCount(0);
    await shot(page, 'satellites', true);

    // A satellite's tables are browsed like the main database's, read-only.
    await satellites.file('holo_index/violations.db').getByRole('link').click();
    await page.getByRole('link', { name: 'violations', exact: true }).click();
    const browser = new TableBrowserPage(page);
    await expect(browser.rows.first()).toBeVisible();
    await browser.filter('severity', 'equals', 'high');
    expect(new Set(await browser.columnValues('severity'))).toEqual(new Set(['high']));
    await shot(page, 'satellite-table');
    // An unknown table or column of a real satellite file is a 404 status as well.
    const fileHref = new URL(page.url()).pathname.split('/').slice(0, 3).join('/');
    for (const path of [`${fileHref}/no_such_table`, `${fileHref}/violations?f.nope=eq:1`]) {
      expect((await page.goto(path))?.status(), path).toBe(404);
      await expect(page.getByRole('heading', { name: 'No such satellite file or table' })).toBeVisible();
    }
    expect((await page.goto(fileHref))?.status()).toBe(200);
    await expect(page.getByRole('link', { name: 'violations', exact: true })).toBeVisible();
  });

  test('a viewer sees the inventory but cannot scan', async ({ viewerPage: page }) => {
    const satellites = new SatellitesPage(page);
    await satellites.goto();
    await expect(satellites.scanButton).toHaveCount(0);
    await expect(page.getByRole('heading', { name: /^Declared/ })).toBeVisible();
  });
});

test.describe('SQL console', () => {
  test('an admin runs the starter cross-module query and is refused a write', async ({ adminPage: page }) => {
    const console = new SqlConsolePage(page);
    await console.goto();
    await expect(console.editor).toHaveValue(/UNION ALL/);
    await console.runStatement();
    await expect(console.outcome).toBeVisible();
    await expect(console.result.locator('thead')).toContainText('agent_id');
    await expect(console.result.locator('thead')).toContainText('permission_events');
    const agents = readRunDb(
      (db) =>
        (
          db
            .prepare(
              'SELECT count(DISTINCT agent_id) AS n FROM (SELECT agent_id FROM permission_events UNION ALL SELECT agent_id FROM confidence_events)',
            )
            .get() as { n: number }
        ).n,
    );
    await expect(console.result.locator('tbody tr')).toHaveCount(agents);
    await page.getByLabel('Chart').check();
    await expect(page.getByRole('figure', { name: 'Chart of the result' })).toBeVisible();
    await shot(page, 'sql', true);

    const before = readRunDb(
      (db) => (db.prepare('SELECT count(*) AS n FROM agents_social_posts').get() as { n: number }).n,
    );
    await console.runStatement('DELETE FROM agents_social_posts');
    await expect(console.error).toContainText('Refused');
    await expect(console.error).toContainText('Only read statements run here');
    await shot(page, 'sql-refused');
    await console.runStatement('SELECT 1; DROP TABLE agents_social_posts');
    await expect(console.error).toContainText('one statement at a time');
    expect(
      readRunDb(
        (db) => (db.prepare('SELECT count(*) AS n FROM agents_social_posts').get() as { n: number }).n,
      ),
    ).toBe(before);
  });

  test('the console is for admins only', async ({ viewerPage: page }) => {
    await page.goto('/sql');
    await expect(page.getByRole('alert').filter({ hasText: 'The SQL console is for admins' })).toBeVisible();
    const response = await page.request.post('/api/export/query', {
      form: { sql: 'SELECT 1', format: 'csv' },
    });
    expect(response.status()).toBe(403);
  });

  test('dark mode screenshots', async ({ adminPage: page }) => {
    await page.goto('/registry');
    await darkMode(page);
    await page.goto('/registry');
    await expect(page.getByRole('heading', { name: 'Registry', exact: true })).toBeVisible();
    await shot(page, 'registry-dark');
    await page.goto('/sql');
    const console = new SqlConsolePage(page);
    await console.runStatement();
    await expect(console.outcome).toBeVisible();
    await shot(page, 'sql-dark');
  });
});
