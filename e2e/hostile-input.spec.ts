import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import type { Browser, Page } from '@playwright/test';
import { storageStatePath } from './support/credentials';
import { requireE2eEnvironment } from './support/environment';
import { LoginPage, expect, test } from './support/fixtures';
import {
  callLoginAction,
  callServerAction,
  openRunDatabase,
  rowCounts,
  serverActionIds,
} from './support/security';

// Everything an attacker controls, thrown at the running console: agent-written rows (the agents write
// SQL straight into the file, so anything can be in any column), URL parameters, request bodies, paths,
// origins, cookies and passwords. Each case must be refused or rendered inert, and is asserted so.

const MARK = `XSSPROBE${crypto.randomBytes(3).toString('hex')}`;
const canary = (tag: string) =>
  `window.__xss=(window.__xss||0)+1;window.__xssHits=(window.__xssHits||[]).concat('${tag}')`;
/** One string with every classic way out of text: tags, attribute breaks, event handlers, templates. */
const payload = (tag: string) =>
  `${MARK}-${tag} <img src=x onerror="${canary(tag)};alert(1)"><script>${canary(tag)};alert(2)</script>` +
  `"><svg onload="${canary(tag)}"></svg>'-alert(3)-'<a href="javascript:${canary(tag)}">link</a>{{constructor.constructor('alert(4)')()}}`;
const DANGEROUS_URLS = [
  `javascript:${canary('href')};alert(5)`,
  ` \tJaVaScRiPt:${canary('href2')}`,
  `data:text/html,<script>${canary('data')}</script>`,
  `vbscript:msgbox(1)`,
];

interface Inserted {
  postIds: string[];
  postRowIds: number[];
  errorId: number;
  heartbeatId: number;
  hostileTable: string;
  satelliteKeys: Record<'hostile' | 'traversal' | 'absolute' | 'symlink', string>;
  rejectFileId: number;
  runId: number;
  scanJobId: number;
}
let inserted: Inserted;

const env = () => requireE2eEnvironment();

test.beforeAll(() => {
  const db = openRunDatabase();
  try {
    const insertPost = db.prepare(
      `INSERT INTO agents_social_posts (post_id, platform, post_type, identity, target_url, target_author, content, tone, trigger_context, status, review_notes, metadata)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending_review', ?, ?)`,
    );
    const postIds: string[] = [];
    const postRowIds: number[] = [];
    DANGEROUS_URLS.forEach((url, index) => {
      const postId = `${MARK}-post${index}-"><img src=x onerror=alert(1)>`;
      const metadata = JSON.stringify({
        [`<img src=x onerror="${canary(`metakey${index}`)}">`]: payload(`metavalue${index}`),
        nested: { link: url, html: `<iframe src="javascript:${canary('iframe')}"></iframe>` },
        list: [payload(`metalist${index}`)],
      });
      const info = insertPost.run(
        postId,
        index === 0 ? 'x' : `linkedin<script>${canary('platform')}</script>`,
        `reply<img src=x onerror="${canary('type')}">`,
        `agent-${MARK}-<img src=x onerror="${canary('identity')}">`,
        url,
        payload(`author${index}`),
        payload(`content${index}`),
        payload(`tone${index}`),
        payload(`trigger${index}`),
        payload(`notes${index}`),
        metadata,
      );
      postIds.push(postId);
      postRowIds.push(Number(info.lastInsertRowid));
    });

    const now = new Date().toISOString().replace('Z', '');
    const errorId = Number(
      db
        .prepare(
          `INSERT INTO error_events (source_module, raised_at, severity, error_type, message, stack_trace, payload_json) VALUES (?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          `module-${MARK}<img src=x onerror="${canary('module')}">`,
          now,
          `error"><script>${canary('severity')}</script>`,
          payload('errortype'),
          payload('message'),
          payload('stack'),
          JSON.stringify({
            [`<b onmouseover="${canary('jsonkey')}">k</b>`]: payload('jsonvalue'),
            url: DANGEROUS_URLS[0],
          }),
        ).lastInsertRowid,
    );
    const heartbeatId = Number(
      db
        .prepare(
          `INSERT INTO daemon_health (daemon_name, heartbeat_at, status, video_id, metrics_json) VALUES (?, ?, ?, ?, ?)`,
        )
        .run(
          `daemon-${MARK}<svg onload="${canary('daemon')}">`,
          now,
          `ok<script>${canary('status')}</script>`,
          payload('video'),
          `{"<img src=x onerror=alert(1)>": "${MARK}"}`,
        ).lastInsertRowid,
    );

    // A table an agent created with a hostile name and column, for the registry and its browser.
    const hostileTable = `agents_${MARK.toLowerCase()}_"><img src=x onerror=alert(1)>`;
    const quoted = `"${hostileTable.replaceAll('"', '""')}"`;
    db.exec(`CREATE TABLE ${quoted} (id INTEGER PRIMARY KEY, "<svg onload=alert(1)>" TEXT, body TEXT)`);
    db.prepare(`INSERT INTO ${quoted} ("<svg onload=alert(1)>", body) VALUES (?, ?)`).run(
      payload('cell1'),
      payload('cell2'),
    );

    // Satellite files as a scan records them: one with a hostile name, and three that point outside the
    // scan root (.. in the path, an absolute path, a symlink out of the root).
    const root = path.resolve(env().rootDir);
    const outside = path.join(env().dir, 'outside-secret.db');
    const outsideDb = new (db.constructor as typeof import('better-sqlite3'))(outside);
    outsideDb.exec(
      `CREATE TABLE IF NOT EXISTS secrets (value TEXT); INSERT INTO secrets VALUES ('${MARK}-SECRET')`,
    );
    outsideDb.close();
    const hostileName = `${MARK}<img src=x onerror=alert(1)>.db`;
    fs.copyFileSync(outside, path.join(root, hostileName));
    const link = path.join(root, `${MARK}-link.db`);
    fs.rmSync(link, { force: true });
    fs.symlinkSync(outside, link);
    const scanJobId = Number(
      db
        .prepare(
          `INSERT INTO modules_console_registry_jobs (kind, status, started_by, started_at, heartbeat_at, finished_at, message) VALUES ('satellite_scan', 'done', 'hostile-input', ?, ?, ?, ?)`,
        )
        .run(
          new Date().toISOString(),
          new Date().toISOString(),
          new Date().toISOString(),
          payload('jobmessage'),
        ).lastInsertRowid,
    );
    const key = () => crypto.randomBytes(8).toString('hex');
    const satelliteKeys = { hostile: key(), traversal: key(), absolute: key(), symlink: key() };
    const insertFile = db.prepare(
      `INSERT INTO modules_console_satellite_files (scan_id, file_key, root, rel_path, size_bytes, modified_at, status, access, journal_mode, tables_json)
       VALUES (?, ?, ?, ?, 4096, ?, 'ok', 'readable', 'delete', ?)`,
    );
    const tables = JSON.stringify([{ name: 'secrets', type: 'table', rows: 1, error: null }]);
    const stamp = new Date().toISOString();
    insertFile.run(scanJobId, satelliteKeys.hostile, root, hostileName, stamp, tables);
    insertFile.run(scanJobId, satelliteKeys.traversal, root, `../${path.basename(outside)}`, stamp, tables);
    insertFile.run(scanJobId, satelliteKeys.absolute, root, outside, stamp, tables);
    insertFile.run(scanJobId, satelliteKeys.symlink, root, path.basename(link), stamp, tables);

    // A quarantined JSONL line whose raw text is an attack, as the ingest engine stores rejects.
    const runId = Number(
      db
        .prepare(
          `INSERT INTO modules_console_ingest_runs (started_by, started_at, finished_at, heartbeat_at, status, host, pid, options_json, rejected) VALUES ('hostile-input', ?, ?, ?, 'succeeded', 'test', 1, '{}', 1)`,
        )
        .run(stamp, stamp, stamp).lastInsertRowid,
    );
    const rejectFileId = Number(
      db
        .prepare(
          `INSERT INTO modules_console_ingest_files (path, relative_path, generation, domain, target_table, domain_reason, state, size, mtime_ms, dev, inode, head_len, head_hash, created_at, updated_at, last_run_id)
           VALUES (?, ?, 1, 'telemetry', 'metrics_events', ?, 'active', 10, 0, '0', '0', 0, 'x', ?, ?, ?)`,
        )
        .run(
          path.join(root, `${MARK}-<img src=x onerror=alert(1)>.jsonl`),
          `${MARK}-<img src=x onerror=alert(1)>.jsonl`,
          payload('domainreason'),
          stamp,
          stamp,
          runId,
        ).lastInsertRowid,
    );
    db.prepare(
      `INSERT INTO modules_console_ingest_rejects (file_id, line_no, byte_offset, byte_length, content_hash, raw_text, reason_code, reason, run_id, created_at)
       VALUES (?, 1, 0, 10, 'x', ?, 'invalid_json', ?, ?, ?)`,
    ).run(rejectFileId, payload('rawtext'), payload('reason'), runId, stamp);

    inserted = {
      postIds,
      postRowIds,
      errorId,
      heartbeatId,
      hostileTable,
      satelliteKeys,
      rejectFileId,
      runId,
      scanJobId,
    };
  } finally {
    db.close();
  }
});

test.afterAll(() => {
  if (!inserted) return;
  const db = openRunDatabase();
  try {
    // The posts' history rows stay: that table is append-only, by design (a trigger refuses deletes).
    for (const id of inserted.postRowIds) db.prepare('DELETE FROM agents_social_posts WHERE id = ?').run(id);
    db.prepare('DELETE FROM error_events WHERE id = ?').run(inserted.errorId);
    db.prepare('DELETE FROM daemon_health WHERE id = ?').run(inserted.heartbeatId);
    db.exec(`DROP TABLE IF EXISTS "${inserted.hostileTable.replaceAll('"', '""')}"`);
    db.prepare('DELETE FROM modules_console_satellite_files WHERE scan_id = ?').run(inserted.scanJobId);
    db.prepare('DELETE FROM modules_console_registry_jobs WHERE id = ?').run(inserted.scanJobId);
    db.prepare('DELETE FROM modules_console_ingest_rejects WHERE file_id = ?').run(inserted.rejectFileId);
    db.prepare('DELETE FROM modules_console_ingest_files WHERE id = ?').run(inserted.rejectFileId);
    db.prepare('DELETE FROM modules_console_ingest_runs WHERE id = ?').run(inserted.runId);
    // Later specs address the first ingest run as #1: give the ids back.
    for (const table of [
      'agents_social_posts',
      'error_events',
      'daemon_health',
      'modules_console_registry_jobs',
      'modules_console_satellite_files',
      'modules_console_ingest_runs',
      'modules_console_ingest_files',
      'modules_console_ingest_rejects',
    ])
      db.prepare(
        `UPDATE sqlite_sequence SET seq = (SELECT COALESCE(MAX(id), 0) FROM "${table}") WHERE name = ?`,
      ).run(table);
  } finally {
    db.close();
  }
  for (const file of [`${MARK}<img src=x onerror=alert(1)>.db`, `${MARK}-link.db`])
    fs.rmSync(path.join(env().rootDir, file), { force: true });
});

/**
 * Opens a screen as admin with the page's CSP switched off (bypassCSP), so what is proven is the
 * escaping itself, not the CSP behind it: no alert, no canary, no element carrying an event handler or
 * a dangerous link, no script element other than Next's own.
 */
async function expectInert(browser: Browser, url: string, options: { expectText?: string | RegExp } = {}) {
  const context = await browser.newContext({ storageState: storageStatePath('admin'), bypassCSP: true });
  const page = await context.newPage();
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.addInitScript(() => {
    (window as unknown as { __xss: number }).__xss = 0;
  });
  try {
    const response = await page.goto(url);
    expect(response?.status(), url).toBeLessThan(500);
    await page.waitForLoadState('networkidle');
    if (options.expectText) await expect(page.locator('body'), url).toContainText(options.expectText);
    await hoverEverything(page);
    const findings = await page.evaluate(() => {
      const w = window as unknown as { __xss: number; __xssHits?: string[] };
      const handlers = [...document.querySelectorAll('*')].flatMap((element) =>
        [...element.attributes]
          .filter((attribute) => /^on/i.test(attribute.name))
          .map((attribute) => `${element.tagName} ${attribute.name}=${attribute.value.slice(0, 60)}`),
      );
      const dangerousLinks = [
        ...document.querySelectorAll('[href],[src],[action],[formaction],[xlink\\:href]'),
      ]
        .flatMap((element) =>
          ['href', 'src', 'action', 'formaction', 'xlink:href'].map(
            (name) => element.getAttribute(name) ?? '',
          ),
        )
        // Browsers strip tabs/newlines and leading spaces when resolving URLs; compare as they do.
        .map((value) => value.replace(/[\u0000-\u0020]/g, '').toLowerCase())
        .filter((value) => /^(javascript|data|vbscript):/.test(value));
      const injectedElements = [
        ...document.querySelectorAll('body img[src="x"], body svg[onload], body iframe'),
      ].length;
      // Next's own scripts (its RSC payload holds the page's data, JSON-escaped) carry the nonce.
      const strayScripts = [...document.querySelectorAll('script')].filter(
        (script) => !script.src && !script.nonce && /__xss/.test(script.textContent ?? ''),
      ).length;
      return {
        canary: w.__xss,
        hits: w.__xssHits ?? [],
        handlers,
        dangerousLinks,
        injectedElements,
        strayScripts,
      };
    });
    expect(dialogs, `${url}: dialogs`).toEqual([]);
    expect(findings, url).toEqual({
      canary: 0,
      hits: [],
      handlers: [],
      dangerousLinks: [],
      injectedElements: 0,
      strayScripts: 0,
    });
  } finally {
    await context.close();
  }
}

/** Hover and focus what can be, so mouse/focus handlers would have fired if any had been injected. */
async function hoverEverything(page: Page) {
  await page.evaluate(() => {
    for (const element of document.querySelectorAll('body *')) {
      element.dispatchEvent(new MouseEvent('mouseover', { bubbles: true }));
      if (element instanceof HTMLElement) element.dispatchEvent(new FocusEvent('focus'));
    }
  });
}

test.describe('XSS in agent-written data renders as text', () => {
  test.describe.configure({ timeout: 120_000 });

  test('review queue and each post (content, identity, target URL, metadata keys and values)', async ({
    browser,
  }) => {
    await expectInert(browser, `/review?q=${MARK}&status=pending_review`, { expectText: `${MARK}-content0` });
    for (const postId of inserted.postIds)
      await expectInert(browser, `/review/${encodeURIComponent(postId)}`, { expectText: `${MARK}-content` });
  });

  test('dangerous target_url schemes are shown as text, never as a link', async ({ adminPage }) => {
    for (const [index, postId] of inserted.postIds.entries()) {
      await adminPage.goto(`/review/${encodeURIComponent(postId)}`);
      const url = DANGEROUS_URLS[index]!.trim();
      await expect(adminPage.locator('body')).toContainText(url.slice(0, 20));
      const hrefs = await adminPage
        .locator('a[href]')
        .evaluateAll((links) => links.map((link) => (link as HTMLAnchorElement).href));
      for (const href of hrefs) expect(href).toMatch(/^(https?:|mailto:|#|\/)/);
    }
  });

  test('timeline list, event details (columns and JSON) and the agent page', async ({ browser }) => {
    await expectInert(browser, `/timeline?q=${MARK}&range=24h`, { expectText: MARK });
    await expectInert(browser, `/timeline/errors/${inserted.errorId}`, { expectText: `${MARK}-message` });
    await expectInert(browser, `/timeline/heartbeats/${inserted.heartbeatId}`, { expectText: MARK });
    await expectInert(browser, `/timeline/posts/${inserted.postRowIds[1]}`, {
      expectText: `${MARK}-content1`,
    });
    await expectInert(
      browser,
      `/timeline/agent/${encodeURIComponent(`agent-${MARK}-<img src=x onerror="${canary('identity')}">`)}`,
    );
  });

  test('registry list and the table browser (hostile table name, column name and cells)', async ({
    browser,
  }) => {
    await expectInert(browser, '/registry', { expectText: MARK.toLowerCase() });
    await expectInert(browser, `/registry/${encodeURIComponent(inserted.hostileTable)}`, {
      expectText: `${MARK}-cell1`,
    });
  });

  test('satellite inventory with a hostile file name', async ({ browser }) => {
    await expectInert(browser, '/satellites', { expectText: MARK });
  });

  test('ingest rejects (raw text of a quarantined line) and run views', async ({ browser }) => {
    await expectInert(browser, '/ingest/rejects', { expectText: `${MARK}-rawtext` });
    await expectInert(browser, '/ingest/runs');
  });
});

// ---------------------------------------------------------------------------------------------------

const INJECTIONS = [
  `' OR '1'='1`,
  `1; DROP TABLE agents_social_posts; --`,
  `") UNION SELECT password_hash, 1, 1 FROM modules_console_operators --`,
  `agents_social_posts" WHERE 1=1; DELETE FROM agents_social_posts; --`,
];
const LIST_SCREENS = [
  '/review',
  '/timeline',
  '/timeline/agent/x',
  '/registry',
  `/registry/agents_social_posts`,
  '/satellites',
  '/ingest/runs',
  '/ingest/rejects',
  '/settings/activity',
  '/settings/tokens',
];
const PARAMS = [
  'status',
  'platform',
  'identity',
  'tone',
  'type',
  'from',
  'to',
  'q',
  'sort',
  'page',
  'size',
  'range',
  'source',
  'actor',
  'module',
  'severity',
  'cursor',
  'run',
  'file',
  'reason',
  'namespace',
  'view',
  'flagged',
  'table',
  'satellite',
  'f.post_id',
  'f.status',
  'dir',
  'order',
  'at',
  'since',
];

function schemaFingerprint(): string {
  const db = openRunDatabase();
  try {
    return JSON.stringify(db.prepare(`SELECT type, name, sql FROM sqlite_master ORDER BY name`).all());
  } finally {
    db.close();
  }
}

test.describe('SQL injection in URL parameters and identifiers', () => {
  test('every list screen × every parameter: answered (200/400/404), never a database error, nothing changed', async ({
    playwright,
    baseURL,
  }) => {
    test.setTimeout(180_000);
    const request = await playwright.request.newContext({ baseURL, storageState: storageStatePath('admin') });
    const schema = schemaFingerprint();
    const counts = rowCounts();
    try {
      for (const screen of LIST_SCREENS) {
        const urls = [
          ...INJECTIONS.map(
            (value) => `${screen}?${PARAMS.map((p) => `${p}=${encodeURIComponent(value)}`).join('&')}`,
          ),
          ...PARAMS.map((p) => `${screen}?${p}=${encodeURIComponent(INJECTIONS[3]!)}`),
        ];
        for (const url of urls) {
          const response = await request.get(url, { maxRedirects: 0 });
          expect([200, 307, 400, 404], url).toContain(response.status());
          const body = await response.text();
          expect(body, url).not.toMatch(
            /SqliteError|SQLITE_ERROR|syntax error|no such column|unrecognized token/i,
          );
        }
      }
      // Identifiers: table and column names are checked against the catalogue, never spliced in.
      for (const value of INJECTIONS) {
        const registry = await request.get(`/registry/${encodeURIComponent(value)}`);
        expect(registry.status(), value).toBe(404);
        const exportTable = await request.get(
          `/api/export/table?table=${encodeURIComponent(value)}&format=csv`,
        );
        expect([400, 404], value).toContain(exportTable.status());
        const exportColumn = await request.get(
          `/api/export/table?table=agents_social_posts&format=csv&sort=${encodeURIComponent(value)}&f.${encodeURIComponent(value)}=1`,
        );
        expect([400, 404], value).toContain(exportColumn.status());
        const timelineSource = await request.get(`/timeline/${encodeURIComponent(value)}/1`);
        expect(timelineSource.status(), value).toBe(404);
        const timelineId = await request.get(`/timeline/posts/${encodeURIComponent(value)}`);
        expect(timelineId.status(), value).toBe(404);
        const post = await request.get(`/review/${encodeURIComponent(value)}`);
        expect(post.status(), value).toBe(404);
      }
    } finally {
      await request.dispose();
    }
    expect(schemaFingerprint()).toBe(schema);
    expect(rowCounts()).toEqual(counts);
  });

  test('the agents’ API: injection in query parameters and ids is refused or matches nothing', async ({
    playwright,
    baseURL,
  }) => {
    const { insertApiToken } = await import('./support/security');
    const bearer = insertApiToken(['posts:read'], 'active', 'hostile-input');
    const request = await playwright.request.newContext({
      baseURL,
      extraHTTPHeaders: { Authorization: `Bearer ${bearer}` },
    });
    const counts = rowCounts();
    try {
      for (const value of INJECTIONS) {
        const list = await request.get(
          `/api/v1/posts?status=${encodeURIComponent(value)}&platform=${encodeURIComponent(value)}`,
        );
        // Refused by validation (platform is at most 50 characters) or matching no post: never more.
        expect([200, 400], value).toContain(list.status());
        if (list.status() === 200) expect((await list.json()).posts, value).toEqual([]);
        const cursor = await request.get(`/api/v1/posts?status=approved&cursor=${encodeURIComponent(value)}`);
        expect(cursor.status(), value).toBe(400);
        const one = await request.get(`/api/v1/posts/${encodeURIComponent(value)}`);
        expect(one.status(), value).toBe(404);
      }
    } finally {
      await request.dispose();
    }
    expect(rowCounts()).toEqual(counts);
  });
});

// ---------------------------------------------------------------------------------------------------

test.describe('request bodies: oversized, malformed, wrong type', () => {
  const POSTS: { url: string; scope: string | null; limit: number }[] = [
    { url: '/api/v1/posts', scope: 'posts:write', limit: 64 * 1024 },
    { url: '/api/v1/events', scope: 'events:write', limit: 1024 * 1024 },
    { url: '/api/v1/posts/x/posted', scope: 'posts:publish', limit: 64 * 1024 },
    { url: '/api/ingest/uploads', scope: null, limit: 4096 },
  ];

  for (const { url, scope, limit } of POSTS) {
    test(`POST ${url}: 413 over the limit, 400 for broken JSON, 415 for other types; nothing written`, async ({
      playwright,
      baseURL,
    }) => {
      const { insertApiToken } = await import('./support/security');
      const request = await playwright.request.newContext({
        baseURL,
        storageState: scope ? undefined : storageStatePath('admin'),
        extraHTTPHeaders: scope
          ? { Authorization: `Bearer ${insertApiToken([scope], 'active', 'hostile-bodies')}` }
          : {},
      });
      const counts = rowCounts();
      try {
        const json = { 'Content-Type': 'application/json' };
        const big = await request.post(url, {
          headers: json,
          data: `{"content":"${'A'.repeat(limit + 10)}"}`,
        });
        expect(big.status(), 'oversized').toBe(413);
        // A body that lies about its length is cut off at the limit too (chunked, no Content-Length).
        const huge = await request.post(url, { headers: json, data: Buffer.alloc(limit * 4, 0x20) });
        expect(huge.status(), 'huge').toBe(413);
        for (const broken of ['{', '{"a":', 'null x', '\u0000\u0001', '{"content": "\ud800"']) {
          const response = await request.post(url, { headers: json, data: broken });
          expect(response.status(), `malformed ${JSON.stringify(broken)}`).toBe(400);
        }
        if (url.startsWith('/api/v1/')) {
          for (const type of [
            'text/plain',
            'application/x-www-form-urlencoded',
            'multipart/form-data; boundary=x',
            'application/xml',
          ]) {
            const response = await request.post(url, {
              headers: { 'Content-Type': type },
              data: '{"content":"x"}',
            });
            expect(response.status(), type).toBe(415);
          }
        }
      } finally {
        await request.dispose();
      }
      expect(rowCounts()).toEqual(counts);
    });
  }
});

// ---------------------------------------------------------------------------------------------------

test.describe('path traversal', () => {
  test('satellite files outside the scan root (.., absolute path, symlink out) are never opened', async ({
    playwright,
    baseURL,
  }) => {
    const request = await playwright.request.newContext({ baseURL, storageState: storageStatePath('admin') });
    try {
      for (const name of ['traversal', 'absolute', 'symlink'] as const) {
        const key = inserted.satelliteKeys[name];
        for (const url of [
          `/satellites/${key}`,
          `/satellites/${key}/secrets`,
          `/api/export/table?satellite=${key}&table=secrets&format=csv`,
        ]) {
          const response = await request.get(url);
          const body = await response.text();
          expect([400, 404], `${name}: ${url}`).toContain(response.status());
          expect(body, url).not.toContain(`${MARK}-SECRET`);
        }
      }
      // Keys that are paths themselves are not keys.
      // (A bare or %2E-encoded '..' segment never reaches the page: URL normalisation makes
      // /satellites/.. into /.)
      for (const key of ['..%2F..%2Fetc%2Fpasswd', '%2Fetc%2Fpasswd', '....%2F%2F', '..%5C..%5Cetc']) {
        const response = await request.get(`/satellites/${key}`);
        expect(response.status(), key).toBe(404);
        const exported = await request.get(`/api/export/table?satellite=${key}&table=x&format=csv`);
        expect([400, 404], key).toContain(exported.status());
      }
      // The same file inside the root, by its real key, is readable: the refusals above are about the path.
      const inside = await request.get(`/satellites/${inserted.satelliteKeys.hostile}/secrets`);
      expect(inside.status()).toBe(200);
      expect(await inside.text()).toContain(`${MARK}-SECRET`);
    } finally {
      await request.dispose();
    }
  });

  test('upload ids and ingest paths cannot name files outside their folders', async ({
    playwright,
    baseURL,
  }) => {
    const request = await playwright.request.newContext({ baseURL, storageState: storageStatePath('admin') });
    try {
      for (const id of ['..%2F..%2Fetc%2Fpasswd', '%2Fetc%2Fpasswd', '..', '.%2E']) {
        for (const method of ['PUT', 'POST', 'DELETE']) {
          const response = await request.fetch(`/api/ingest/uploads/${id}?offset=0`, {
            method,
            data: method === 'PUT' ? 'x' : undefined,
            headers: method === 'PUT' ? { 'Content-Type': 'application/octet-stream' } : {},
          });
          expect([400, 404], `${method} ${id}`).toContain(response.status());
        }
      }
      // Backup downloads name a file in the backups folder by its generated name only.
      for (const name of [
        '..%2Ffoundups-e2e.db',
        '..%2F..%2F..%2Fetc%2Fpasswd',
        '%2Fetc%2Fpasswd',
        'credentials.json',
      ]) {
        const response = await request.get(`/backups/download/${name}`);
        expect([400, 404], name).toContain(response.status());
        expect((await response.body()).subarray(0, 15).toString()).not.toBe('SQLite format 3');
      }
      const upload = await request.post('/api/ingest/uploads', {
        headers: { 'Content-Type': 'application/json' },
        data: JSON.stringify({ name: '../../../etc/passwd.jsonl', size: 10 }),
      });
      if (upload.status() === 201) {
        // Accepted only as a bare file name inside the uploads folder.
        const body = (await upload.json()) as Record<string, unknown>;
        expect(JSON.stringify(body)).not.toContain('..');
        await request.delete(`/api/ingest/uploads/${String(body.id)}`);
      } else expect(upload.status()).toBe(400);
    } finally {
      await request.dispose();
    }
    // Starting an ingest of a file outside the roots, as an admin calling the action directly: paths
    // are only keys into the last audit (or the uploads folder), so none of these names a file.
    const ids = serverActionIds();
    const start = ids.get('lib/ingest/actions.ts#startIngestAction')!;
    const audit = ids.get('lib/ingest/actions.ts#runAuditAction')!;
    const admin = await playwright.request.newContext({ baseURL, storageState: storageStatePath('admin') });
    try {
      const counts = rowCounts();
      const outside = path.join(env().dir, 'credentials.json');
      for (const input of [
        { scope: 'file', path: '/etc/passwd' },
        { scope: 'file', path: '../../../../etc/passwd' },
        { scope: 'file', path: outside },
        { scope: 'file', path: `${env().rootDir}/../credentials.json` },
        { scope: 'upload', name: '../../../etc/passwd' },
        { scope: 'upload', name: '20260101T000000000Z-x.jsonl/../../../credentials.json' },
      ]) {
        const { status, text } = await callServerAction(admin, start, [input], { path: '/ingest' });
        expect(status, JSON.stringify(input)).toBe(200);
        expect(text, JSON.stringify(input)).toMatch(/"ok":false/);
      }
      // The audit reads the configured roots only: a root or paths in the call are ignored.
      const { text } = await callServerAction(
        admin,
        audit,
        [{ root: '/etc', roots: ['/etc'], paths: ['/etc/passwd'] }],
        {
          path: '/ingest',
        },
      );
      expect(text).not.toContain('/etc/passwd');
      expect(text).not.toContain('"root":"/etc"');
      const counted = rowCounts();
      // (The audit stores its report; nothing else may change.)
      delete counted.modules_console_ingest_audits;
      delete counts.modules_console_ingest_audits;
      expect(counted).toEqual(counts);
    } finally {
      await admin.dispose();
    }
  });
});

// ---------------------------------------------------------------------------------------------------

test.describe('cross-origin requests with the session cookie', () => {
  test('a server action posted from another origin is refused and changes nothing', async ({
    playwright,
    baseURL,
  }) => {
    const id = serverActionIds().get('lib/review/actions.ts#approvePostAction')!;
    const postId = inserted.postIds[0]!;
    const reviewer = await playwright.request.newContext({
      baseURL,
      storageState: storageStatePath('reviewer'),
    });
    try {
      const before = rowCounts();
      const crossOrigin: Record<string, string>[] = [
        { Origin: 'https://evil.example' },
        { Origin: 'null' },
        { Origin: `http://127.0.0.1:${Number(new URL(baseURL!).port) + 1}` },
        { 'Sec-Fetch-Site': 'cross-site' },
        { 'Sec-Fetch-Site': 'same-site' },
      ];
      for (const headers of crossOrigin) {
        const { status, text } = await callServerAction(reviewer, id, [{ postId, version: 1 }], {
          path: '/review',
          headers,
        });
        expect(status, JSON.stringify(headers)).toBe(403);
        expect(text).toContain('cross_origin');
      }
      expect(rowCounts()).toEqual(before);
      const db = openRunDatabase();
      try {
        const row = db.prepare('SELECT status FROM agents_social_posts WHERE post_id = ?').get(postId) as {
          status: string;
        };
        expect(row.status).toBe('pending_review');
      } finally {
        db.close();
      }
      // The same call from the console's own origin reaches the action (which then checks its input).
      const { status, text } = await callServerAction(reviewer, id, ['probe'], {
        path: '/review',
        headers: { Origin: baseURL! },
      });
      expect(status).toBe(200);
      expect(text).toContain('Some fields need attention.');
    } finally {
      await reviewer.dispose();
    }
  });

  test('console API writes from another origin are refused even with the admin cookie', async ({
    playwright,
    baseURL,
  }) => {
    const admin = await playwright.request.newContext({ baseURL, storageState: storageStatePath('admin') });
    try {
      for (const [method, url, data] of [
        ['POST', '/api/ingest/uploads', JSON.stringify({ name: 'x.jsonl', size: 10 })],
        ['POST', '/api/export/query', 'sql=select+1&format=csv'],
        ['DELETE', '/api/ingest/uploads/abc', undefined],
      ] as const) {
        const response = await admin.fetch(url, {
          method,
          data,
          headers: { Origin: 'https://evil.example', 'Content-Type': 'application/json' },
        });
        expect(response.status(), `${method} ${url}`).toBe(403);
      }
    } finally {
      await admin.dispose();
    }
  });
});

// ---------------------------------------------------------------------------------------------------

test.describe('sessions', () => {
  test('a session id planted before sign-in is not the one after it', async ({
    browser,
    baseURL,
    credentials,
  }) => {
    const context = await browser.newContext();
    const host = new URL(baseURL!).hostname;
    const planted = crypto.randomBytes(32).toString('base64url');
    await context.addCookies([
      { name: 'fu_session', value: planted, domain: host, path: '/', httpOnly: true },
    ]);
    const page = await context.newPage();
    const login = new LoginPage(page);
    await login.goto();
    await login.signInAndWait(credentials.viewer);
    const after = (await context.cookies()).find((cookie) => cookie.name === 'fu_session')!;
    expect(after.value).not.toBe(planted);
    expect(after.value).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 random bytes from the server
    expect(after).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    await context.close();
  });

  test('signing in over a live session revokes that session server-side; signing out revokes the new one', async ({
    playwright,
    baseURL,
    credentials,
  }) => {
    const loginId = serverActionIds().get('lib/auth/actions.ts#login')!;
    const anonymous = await playwright.request.newContext({ baseURL });
    const first = await callLoginAction(anonymous, loginId, credentials.viewer);
    expect(first.sessionCookie, first.text.slice(0, 200)).toBeTruthy();
    const firstToken = /^fu_session=([^;]+)/.exec(first.sessionCookie!)![1]!;
    await anonymous.dispose();

    const withSession = (token: string) =>
      playwright.request.newContext({ baseURL, extraHTTPHeaders: { Cookie: `fu_session=${token}` } });
    const holder = await withSession(firstToken);
    expect((await holder.get('/', { maxRedirects: 0 })).status()).toBe(200);
    // Sign in again (as someone else) from the browser that holds that session.
    const second = await callLoginAction(holder, loginId, credentials.reviewer, {
      Cookie: `fu_session=${firstToken}`,
    });
    const secondToken = /^fu_session=([^;]+)/.exec(second.sessionCookie!)![1]!;
    expect(secondToken).not.toBe(firstToken);
    await holder.dispose();

    const replayFirst = await withSession(firstToken);
    const refused = await replayFirst.get('/', { maxRedirects: 0 });
    expect(refused.status()).toBe(307);
    expect(refused.headers().location).toBe('/login');
    await replayFirst.dispose();

    // Sign out with the second session, then replay it: refused too (revoked, not just forgotten).
    const logoutId = serverActionIds().get('lib/auth/actions.ts#logout')!;
    const user = await withSession(secondToken);
    expect((await user.get('/', { maxRedirects: 0 })).status()).toBe(200);
    await callServerAction(user, logoutId, [], { path: '/' });
    await user.dispose();
    const replaySecond = await withSession(secondToken);
    expect((await replaySecond.get('/', { maxRedirects: 0 })).status()).toBe(307);
    expect((await replaySecond.get('/api/timeline/new', { maxRedirects: 0 })).status()).toBe(401);
    await replaySecond.dispose();
  });
});

test.describe('brute-force sign-in', () => {
  /** A fresh operator for these tests, so locking it out affects no other test. */
  function createOperator(username: string): string {
    const password = crypto.randomBytes(18).toString('base64url');
    const result = spawnSync(
      process.execPath,
      [
        'bin/foundups.mjs',
        'operators',
        'create',
        '--username',
        username,
        '--role',
        'viewer',
        '--password-stdin',
      ],
      {
        input: `${password}\n`,
        encoding: 'utf8',
        env: { ...process.env, FOUNDUPS_DB_PATH: env().dbPath, DATABASE_URL: '' },
      },
    );
    if (result.status !== 0) throw new Error(`operators create failed: ${result.stderr}${result.stdout}`);
    return password;
  }

  /** One sign-in attempt straight at the action, from the address given in X-Forwarded-For. */
  async function attempt(
    request: import('@playwright/test').APIRequestContext,
    ip: string,
    username: string,
    password: string,
  ): Promise<string> {
    const loginId = serverActionIds().get('lib/auth/actions.ts#login')!;
    const result = await callLoginAction(request, loginId, { username, password }, { 'X-Forwarded-For': ip });
    if (result.sessionCookie) return 'signed-in';
    return (
      /"error":"([^"]*)"/.exec(result.text)?.[1] ?? `status ${result.status}: ${result.text.slice(0, 200)}`
    );
  }

  test('5 failures lock that account for 15 minutes from any address, even with the right password; other accounts are unaffected', async ({
    request,
  }) => {
    test.setTimeout(120_000);
    const user = `brute${crypto.randomBytes(3).toString('hex')}`;
    const password = createOperator(user);
    const bystander = `bystand${crypto.randomBytes(3).toString('hex')}`;
    const bystanderPassword = createOperator(bystander);
    for (let i = 1; i <= 5; i += 1) {
      // Each attempt from a different address: rotating X-Forwarded-For does not reset the account's count.
      expect(await attempt(request, `198.51.100.${i}`, user, `wrong-${i}`)).toMatch(
        /Wrong username or password/,
      );
    }
    expect(await attempt(request, '198.51.100.77', user, password)).toMatch(
      /Too many failed sign-in attempts\. Try again in 15 minute\(s\)\./,
    );
    expect(await attempt(request, '198.51.100.1', bystander, bystanderPassword)).toBe('signed-in');
  });

  test('30 failures from one address lock that address for every account; other addresses still sign in', async ({
    request,
  }) => {
    test.setTimeout(240_000);
    const user = `sprayed${crypto.randomBytes(3).toString('hex')}`;
    const password = createOperator(user);
    const ip = `203.0.113.${crypto.randomInt(1, 250)}`;
    for (let i = 0; i < 30; i += 1) {
      // Password spraying: a different (unknown) username each time, so no account reaches its limit.
      expect(
        await attempt(request, ip, `nobody${i}${crypto.randomBytes(2).toString('hex')}`, 'Password123!'),
      ).toMatch(/Wrong username or password/);
    }
    expect(await attempt(request, ip, user, password)).toMatch(/Too many failed sign-in attempts/);
    expect(await attempt(request, '192.0.2.10', user, password)).toBe('signed-in');
  });
});
