import { expect, type Locator, type Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { requireE2eEnvironment } from './environment';

/** The review queue at /review. */
export class ReviewQueuePage {
  readonly heading: Locator;
  readonly tabs: Locator;
  readonly rows: Locator;
  readonly activeRow: Locator;
  readonly search: Locator;
  readonly bulkBar: Locator;
  readonly bulkNote: Locator;
  readonly bulkSummary: Locator;
  readonly newPostsBanner: Locator;
  readonly shortcutsButton: Locator;
  readonly shortcuts: Locator;
  readonly toast: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Review queue', exact: true });
    this.tabs = page.getByRole('navigation', { name: 'Statuses' });
    this.rows = page.locator('tbody tr[data-row-id]');
    this.activeRow = page.locator('tbody tr[data-active]');
    this.search = page.getByLabel('Search text, target or author');
    this.bulkBar = page.getByRole('region', { name: 'Decide the selected posts' });
    this.bulkNote = page.getByLabel('Note for all selected posts (required to reject)');
    this.bulkSummary = page.getByTestId('bulk-summary');
    this.newPostsBanner = page
      .getByRole('status')
      .filter({ hasText: /new posts? since this page was loaded/ });
    this.shortcutsButton = page.getByRole('button', { name: /Shortcuts/ });
    this.shortcuts = page.getByRole('dialog', { name: /shortcuts/i });
    this.toast = page.getByTestId('review-toast');
  }

  async goto(search = ''): Promise<void> {
    await this.page.goto(`/review${search}`);
    await expect(this.heading).toBeVisible();
    await this.keysReady();
  }

  /** The keys work once the page is hydrated. */
  async keysReady(): Promise<void> {
    await expect(this.page.locator('button[data-keys-ready]')).toBeVisible();
  }

  tab(label: string | RegExp): Locator {
    return this.tabs.getByRole('link', { name: label });
  }

  row(postId: string): Locator {
    return this.page.locator(`tbody tr[data-row-id="${postId}"]`);
  }

  async rowIds(): Promise<string[]> {
    return this.rows.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-row-id') ?? ''));
  }

  async activeRowId(): Promise<string | null> {
    return this.activeRow.getAttribute('data-row-id');
  }

  /** The keys the `?` overlay lists (each row's keys joined by a space). */
  async listedShortcuts(): Promise<string[]> {
    await this.page.keyboard.press('?');
    await expect(this.shortcuts).toBeVisible();
    const keys = await this.shortcuts
      .locator('[data-shortcut]')
      .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-shortcut') ?? ''));
    await this.page.keyboard.press('Escape');
    await expect(this.shortcuts).toBeHidden();
    return keys;
  }

  /** Makes the queue poll now instead of in up to 10 s (it also polls when the tab becomes visible). */
  async pollNow(): Promise<void> {
    await this.page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
  }
}

/** One post in the focus view at /review/{postId}. */
export class ReviewPostPage {
  readonly heading: Locator;
  readonly content: Locator;
  readonly approveButton: Locator;
  readonly rejectButton: Locator;
  readonly editButton: Locator;
  readonly note: Locator;
  readonly editor: Locator;
  readonly alert: Locator;
  readonly history: Locator;
  readonly historyEntries: Locator;
  readonly toast: Locator;
  readonly shortcuts: Locator;
  readonly lengthWarning: Locator;
  readonly decision: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1 });
    this.decision = page.getByRole('region', { name: 'Decision' });
    this.content = page.getByTestId('post-content').first();
    this.approveButton = page.getByRole('button', { name: /^Approve/ });
    this.rejectButton = page.getByRole('button', { name: /^Reject/ });
    this.editButton = page.getByRole('button', { name: /^Edit text/ });
    this.note = page.getByLabel(/^Note/);
    this.editor = page.getByLabel(/^Text/);
    this.alert = page.getByTestId('review-alert');
    this.history = page.getByTestId('post-history');
    this.historyEntries = this.history.locator(':scope > li');
    this.toast = page.getByTestId('review-toast');
    this.shortcuts = page.getByRole('dialog', { name: /shortcuts/i });
    this.lengthWarning = page.getByTestId('length-warning').first();
  }

  async goto(postId: string, search = ''): Promise<void> {
    await this.page.goto(`/review/${encodeURIComponent(postId)}${search}`);
    await this.expectPost(postId);
  }

  /** The post id of the URL (the focus view walks the queue with j/k). */
  postId(): string {
    const match = /\/review\/([^/?#]+)/.exec(new URL(this.page.url()).pathname);
    if (!match) throw new Error(`Not a focus-view URL: ${this.page.url()}`);
    return decodeURIComponent(match[1]!);
  }

  async expectPost(postId: string): Promise<void> {
    await expect(this.page).toHaveURL(new RegExp(`/review/${postId}(\\?|$)`));
    // The URL changes when the navigation starts; the keys belong to the page once it is rendered.
    await expect(this.page.locator(`[data-post-id="${postId}"]`)).toBeVisible();
    await expect(this.page.locator('button[data-keys-ready]')).toBeVisible();
  }

  async listedShortcuts(): Promise<string[]> {
    await this.page.keyboard.press('?');
    await expect(this.shortcuts).toBeVisible();
    const keys = await this.shortcuts
      .locator('[data-shortcut]')
      .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-shortcut') ?? ''));
    await this.page.keyboard.press('Escape');
    await expect(this.shortcuts).toBeHidden();
    return keys;
  }
}

export interface PostRow {
  post_id: string;
  status: string | null;
  content: string;
  review_notes: string | null;
  console_version: number;
  console_actor: string | null;
}

export interface HistoryRow {
  action: string;
  actor: string;
  actor_kind: string;
  from_status: string | null;
  to_status: string | null;
  note: string | null;
  content_before: string | null;
  content_after: string | null;
  version: number;
}

/**
 * The run's database as the tests check it: opened read-only with better-sqlite3 for every look, so
 * each check sees what the server committed.
 */
export const reviewDb = {
  read<T>(fn: (db: Database.Database) => T): T {
    const db = new Database(requireE2eEnvironment().dbPath, { readonly: true, fileMustExist: true });
    try {
      return fn(db);
    } finally {
      db.close();
    }
  },
  post(postId: string): PostRow {
    const row = this.read(
      (db) =>
        db.prepare('SELECT * FROM agents_social_posts WHERE post_id = ?').get(postId) as PostRow | undefined,
    );
    if (!row) throw new Error(`post ${postId} is not in the database`);
    return row;
  },
  history(postId: string): HistoryRow[] {
    return this.read(
      (db) =>
        db
          .prepare('SELECT * FROM modules_console_post_history WHERE post_id = ? ORDER BY id')
          .all(postId) as HistoryRow[],
    );
  },
  /** Pending posts in the queue's default order (newest first). */
  pendingIds(): string[] {
    return this.read((db) =>
      (
        db
          .prepare(
            "SELECT post_id FROM agents_social_posts WHERE status = 'pending_review' ORDER BY created_at DESC, id DESC",
          )
          .all() as { post_id: string }[]
      ).map((row) => row.post_id),
    );
  },
  findPost(where: string, ...params: unknown[]): PostRow {
    const row = this.read(
      (db) =>
        db.prepare(`SELECT * FROM agents_social_posts WHERE ${where} LIMIT 1`).get(...params) as
          PostRow | undefined,
    );
    if (!row) throw new Error(`no post where ${where}`);
    return row;
  },
  /**
   * Writes as the Python agents do (plain SQL, no console bookkeeping): the console must notice
   * through its triggers. Only for playing the agents; checks use the read-only connection.
   */
  asAgent<T>(fn: (db: Database.Database) => T): T {
    const db = new Database(requireE2eEnvironment().dbPath, { fileMustExist: true });
    try {
      db.pragma('busy_timeout = 5000');
      return fn(db);
    } finally {
      db.close();
    }
  },
};
