import type { Page, Request } from '@playwright/test';
import { expect, test } from './support/fixtures';
import { ReviewPostPage, ReviewQueuePage, reviewDb } from './support/review-page';

// The review queue end to end, on the run's freshly seeded database (40 pending demo posts, hostile
// contents among them). The tests share that database and run in file order; each one reads the
// state it starts from out of the database instead of assuming what earlier tests left.

const SHOTS = '/tmp';
const REVIEWER = 'e2ereviewer';

async function shot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  await page.screenshot({ path: `${SHOTS}/review-${name}.png`, fullPage: options.fullPage ?? false });
}

function lastHistory(postId: string) {
  const history = reviewDb.history(postId);
  return history[history.length - 1];
}

test.describe.configure({ mode: 'serial' });

test.describe('review queue', () => {
  test('a reviewer signs in and works through the queue with the keyboard only, and the database and history follow', async ({
    page,
    loginPage,
    credentials,
  }) => {
    await loginPage.goto();
    await loginPage.signInAndWait(credentials.reviewer);
    const queue = new ReviewQueuePage(page);
    const focus = new ReviewPostPage(page);
    const pending = reviewDb.pendingIds();
    expect(pending.length).toBeGreaterThanOrEqual(6);
    const [p1, p2, p3, p4] = pending as [string, string, string, string];

    await queue.goto();
    expect((await queue.rowIds()).slice(0, 4)).toEqual([p1, p2, p3, p4]);
    await expect(queue.activeRow).toHaveAttribute('data-row-id', p1);
    await page.keyboard.press('j');
    await expect(queue.activeRow).toHaveAttribute('data-row-id', p2);
    await page.keyboard.press('k');
    await expect(queue.activeRow).toHaveAttribute('data-row-id', p1);
    await page.keyboard.press('Enter');
    await focus.expectPost(p1);
    await expect(focus.approveButton).toBeVisible();

    // The overlay lists exactly the keys this test presses (and the overlay's own ? and Esc).
    expect(await focus.listedShortcuts()).toEqual(['j', 'k', 'a', 'r', 'e', 'u', '?', 'Escape']);

    // j / k walk the queue's order.
    await page.keyboard.press('j');
    await focus.expectPost(p2);
    await page.keyboard.press('k');
    await focus.expectPost(p1);
    await expect(focus.approveButton).toBeVisible();
    await shot(page, 'focus', { fullPage: true });

    // a: approve, then the next post opens; the toast offers undo.
    const v1 = reviewDb.post(p1).console_version;
    await page.keyboard.press('a');
    await focus.expectPost(p2);
    await expect(focus.toast).toContainText('Approved');
    expect(reviewDb.post(p1)).toMatchObject({
      status: 'approved',
      console_actor: REVIEWER,
      console_version: v1 + 1,
    });
    expect(lastHistory(p1)).toMatchObject({
      action: 'approve',
      actor: REVIEWER,
      actor_kind: 'operator',
      from_status: 'pending_review',
      to_status: 'approved',
      version: v1 + 1,
    });

    // r: focus the note (a note is required), Ctrl+Enter rejects with it.
    await expect(focus.rejectButton).toBeVisible();
    await page.keyboard.press('r');
    await expect(focus.note).toBeFocused();
    await page.keyboard.press('Control+Enter');
    await expect(focus.decision).toContainText('A note is required to reject a post');
    expect(reviewDb.post(p2).status).toBe('pending_review');
    await page.keyboard.type('Off-topic for this thread.');
    await page.keyboard.press('Control+Enter');
    await focus.expectPost(p3);
    expect(reviewDb.post(p2)).toMatchObject({
      status: 'rejected',
      review_notes: 'Off-topic for this thread.',
    });
    expect(lastHistory(p2)).toMatchObject({
      action: 'reject',
      actor: REVIEWER,
      note: 'Off-topic for this thread.',
      to_status: 'rejected',
    });

    // e: edit the text (the original stays in the history), then a: approve the edited text.
    const original = reviewDb.post(p3).content;
    const edited = `${original.split(' ').slice(0, 6).join(' ')} (edited by the reviewer)`;
    await expect(focus.editButton).toBeVisible();
    await page.keyboard.press('e');
    await expect(focus.editor).toBeFocused();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type(edited);
    await page.keyboard.press('Control+Enter');
    await expect(focus.editor).toBeHidden();
    await expect(focus.content).toHaveText(edited);
    expect(reviewDb.post(p3)).toMatchObject({ status: 'pending_review', content: edited });
    expect(lastHistory(p3)).toMatchObject({
      action: 'edit',
      actor: REVIEWER,
      content_before: original,
      content_after: edited,
    });
    await page.keyboard.press('a');
    await focus.expectPost(p4);
    expect(reviewDb.post(p3)).toMatchObject({ status: 'approved', content: edited });

    // u: undo that approval; the focus view returns to the post, pending again.
    await page.keyboard.press('u');
    await focus.expectPost(p3);
    await expect(focus.toast).toContainText('Approval undone');
    await expect.poll(() => reviewDb.post(p3).status).toBe('pending_review');
    expect(reviewDb.history(p3).map((entry) => [entry.action, entry.actor])).toEqual([
      ['created', 'direct database write'],
      ['edit', REVIEWER],
      ['approve', REVIEWER],
      ['undo', REVIEWER],
    ]);

    // The history on screen: who, from → to, the edit as a diff.
    await expect(focus.historyEntries).toHaveCount(4);
    await expect(focus.historyEntries.nth(0)).toContainText('Direct database write');
    await expect(focus.historyEntries.nth(1)).toContainText('edited the text');
    await expect(focus.history.getByTestId('history-diff').locator('ins')).toContainText(
      '(edited by the reviewer)',
    );
    await expect(focus.historyEntries.nth(3)).toContainText('undid the approval');
    await expect(focus.approveButton).toBeVisible();
    await focus.history.scrollIntoViewIfNeeded();
    await focus.history.screenshot({ path: `${SHOTS}/review-history.png` });
  });

  test('every queue key does what the overlay says; filters live in the URL; new posts wait for a click', async ({
    reviewerPage: page,
  }) => {
    const queue = new ReviewQueuePage(page);
    const focus = new ReviewPostPage(page);
    await queue.goto();
    await expect(queue.rows.first()).toBeVisible();
    expect(await queue.listedShortcuts()).toEqual([
      'j',
      'k',
      'Enter o',
      '/',
      'x',
      'a',
      'r',
      'e',
      'u',
      'Escape',
      '?',
    ]);
    const ids = await queue.rowIds();
    expect(ids.slice(0, 5)).toEqual(reviewDb.pendingIds().slice(0, 5));

    await page.keyboard.press('j');
    await expect(queue.activeRow).toHaveAttribute('data-row-id', ids[1]!);
    await page.keyboard.press('k');
    await expect(queue.activeRow).toHaveAttribute('data-row-id', ids[0]!);

    // x selects, Esc clears.
    await page.keyboard.press('x');
    await expect(queue.bulkBar).toContainText('1 selected');
    await expect(queue.row(ids[0]!)).toHaveAttribute('data-selected', 'true');
    await page.keyboard.press('Escape');
    await expect(queue.bulkBar).toBeHidden();

    // r selects the row and focuses the note for the rejection.
    await page.keyboard.press('r');
    await expect(queue.bulkNote).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(queue.bulkNote).not.toBeFocused();
    await page.keyboard.press('Escape');
    await expect(queue.bulkBar).toBeHidden();

    // Enter, o and e open the post (e with the editor).
    for (const key of ['Enter', 'o'] as const) {
      await page.keyboard.press(key);
      await focus.expectPost(ids[0]!);
      await page.goBack();
      await expect(queue.heading).toBeVisible();
      await queue.keysReady();
    }
    await page.keyboard.press('e');
    await focus.expectPost(ids[0]!);
    await expect(page).toHaveURL(/[?&]edit=1/);
    await expect(focus.editor).toBeVisible();
    await page.goBack();
    await queue.keysReady();
    await expect(queue.activeRow).toHaveAttribute('data-row-id', ids[0]!);

    // a approves the row under the cursor; u takes it back.
    await page.keyboard.press('a');
    await expect(queue.toast).toContainText('Approved');
    await expect.poll(() => reviewDb.post(ids[0]!).status).toBe('approved');
    await expect(queue.row(ids[0]!)).toHaveCount(0);
    await page.keyboard.press('u');
    await expect(queue.toast).toContainText('Approval undone');
    await expect.poll(() => reviewDb.post(ids[0]!).status).toBe('pending_review');
    expect(lastHistory(ids[0]!)).toMatchObject({
      action: 'undo',
      actor: REVIEWER,
      to_status: 'pending_review',
    });
    await expect(queue.row(ids[0]!)).toBeVisible();

    // x on two rows, then a approves both (bulk), each a guarded write, with a summary.
    await expect(queue.activeRow).toHaveAttribute('data-row-id', ids[0]!);
    await page.keyboard.press('x');
    await page.keyboard.press('j');
    await page.keyboard.press('x');
    await expect(queue.bulkBar).toContainText('2 selected');
    await page.keyboard.press('a');
    await expect(queue.bulkSummary).toContainText('Approved 2 of 2 posts.');
    expect(reviewDb.post(ids[0]!).status).toBe('approved');
    expect(reviewDb.post(ids[1]!).status).toBe('approved');

    // / focuses the search; typing filters through the URL (debounced, page reset).
    await page.keyboard.press('/');
    await expect(queue.search).toBeFocused();
    await page.keyboard.type('zz-no-such-text');
    await expect(page).toHaveURL(/[?&]q=zz-no-such-text/);
    await expect(page.getByText('No posts match these filters.')).toBeVisible();
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect(page).not.toHaveURL(/q=/);
    await expect(queue.search).toHaveValue('');

    // Filters and sort from the URL: platform, sort, page size.
    await queue.goto('?platform=x&sort=created_at.asc&size=10');
    await expect(page.getByLabel('Platform')).toHaveValue('x');
    await expect(page.getByLabel('Sort')).toHaveValue('created_at.asc');
    for (const badge of await page.locator('tbody tr td:nth-child(2)').allInnerTexts())
      expect(badge.trim()).toBe('X');
    // Sorting from the column headers (the server sorts; the URL keeps it).
    await queue.goto();
    await page.getByRole('columnheader', { name: 'Platform' }).getByRole('button').click();
    await expect(page).toHaveURL(/[?&]sort=platform\.asc/);
    await expect(page.getByRole('columnheader', { name: 'Platform' })).toHaveAttribute(
      'aria-sort',
      'ascending',
    );
    await page.getByRole('columnheader', { name: 'Platform' }).getByRole('button').click();
    await expect(page).toHaveURL(/[?&]sort=platform\.desc/);
    await page.getByRole('columnheader', { name: 'Created' }).getByRole('button').click();
    await expect(page).not.toHaveURL(/sort=/);

    // Bulk reject: r on a selection focuses the one note; Ctrl+Enter rejects them all.
    await queue.goto();
    const [r1, r2] = (await queue.rowIds()) as [string, string];
    await page.keyboard.press('x');
    await page.keyboard.press('j');
    await page.keyboard.press('x');
    await page.keyboard.press('r');
    await expect(queue.bulkNote).toBeFocused();
    await page.keyboard.type('Off-brand for both identities.');
    await page.keyboard.press('Control+Enter');
    await expect(queue.bulkSummary).toContainText('Rejected 2 of 2 posts.');
    for (const id of [r1, r2]) {
      expect(reviewDb.post(id)).toMatchObject({
        status: 'rejected',
        review_notes: 'Off-brand for both identities.',
      });
      expect(lastHistory(id)).toMatchObject({
        action: 'reject',
        actor: REVIEWER,
        note: 'Off-brand for both identities.',
      });
    }
    await queue.goto();
    await shot(page, 'queue');

    // An agent records a post: the banner says so, the rows stay put until asked.
    const before = await queue.rowIds();
    const newId = `e2e-new-${Date.now()}`;
    reviewDb.asAgent((db) =>
      db
        .prepare(
          "INSERT INTO agents_social_posts (post_id, platform, post_type, content, identity, tone, status) VALUES (?, 'linkedin', 'comment', 'A brand new post from the agents.', 'FoundUps', 'warm', 'pending_review')",
        )
        .run(newId),
    );
    await queue.pollNow();
    await expect(queue.newPostsBanner).toContainText('1 new post');
    expect(await queue.rowIds()).toEqual(before);
    await page.getByRole('button', { name: 'Show it' }).click();
    await expect(queue.rows.first()).toHaveAttribute('data-row-id', newId);
    await expect(queue.newPostsBanner).toBeHidden();
  });

  test('hostile agent content renders as inert text: HTML, script, javascript: URLs, RTL, emoji, long text', async ({
    reviewerPage: page,
  }) => {
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    const focus = new ReviewPostPage(page);

    const hostile = reviewDb.findPost("content LIKE '<script>%'");
    await focus.goto(hostile.post_id);
    await expect(focus.content).toHaveText(hostile.content);
    await expect(focus.content).toContainText('<script>alert("xss")</script>');
    expect(await page.locator('script', { hasText: 'xss' }).count()).toBe(0);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(await page.locator('a[href^="javascript:"], b:text("Bold")').count()).toBe(0);
    await expect(page.getByTestId('target-url')).toHaveText('javascript:alert(document.cookie)');
    await expect(page.getByTestId('inert-url')).toBeVisible();
    await expect(page.getByText('<img src=x onerror=alert(1)>').first()).toBeVisible();
    await shot(page, 'hostile', { fullPage: true });

    const rtl = reviewDb.findPost("content LIKE 'مرحباً%'");
    await focus.goto(rtl.post_id);
    await expect(focus.content).toHaveText(rtl.content);
    await expect(focus.content).toHaveAttribute('dir', 'auto');
    expect(await focus.content.evaluate((element) => getComputedStyle(element).direction)).toBe('rtl');

    const emoji = reviewDb.findPost("content LIKE '%ZWJ sequences%'");
    await focus.goto(emoji.post_id);
    await expect(focus.content).toHaveText(emoji.content);

    const long = reviewDb.findPost("content LIKE 'Thread-worthy thought%'");
    await focus.goto(long.post_id);
    await expect(focus.lengthWarning).toContainText('over X’s limit of 280');
    // Long text wraps instead of widening the page.
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);

    // External links are explicit, open in a new tab, and leak nothing.
    const linked = reviewDb.findPost("target_url LIKE 'https://%' AND status = 'pending_review'");
    await focus.goto(linked.post_id);
    const open = page.getByRole('link', { name: /^Open on / });
    await expect(open).toHaveAttribute('rel', 'noopener noreferrer nofollow');
    await expect(open).toHaveAttribute('target', '_blank');
    expect(dialogs).toEqual([]);
  });

  test('two reviewers approving the same post end with one decision and a clear conflict for the other', async ({
    reviewerPage,
    adminPage,
  }) => {
    const pending = reviewDb.pendingIds();
    const target = pending[pending.length - 1]!;
    const first = new ReviewPostPage(reviewerPage);
    const second = new ReviewPostPage(adminPage);
    await Promise.all([first.goto(target), second.goto(target)]);
    await expect(first.approveButton).toBeVisible();
    await expect(second.approveButton).toBeVisible();

    await first.approveButton.click();
    await expect.poll(() => reviewDb.post(target).status).toBe('approved');
    await second.approveButton.click();
    await expect(second.alert).toContainText(
      new RegExp(`Already approved by ${REVIEWER} at \\d{2}:\\d{2} UTC\\.`),
    );
    await expect(second.alert).toContainText('Now: Approved');
    // The loser's page now shows the winner's decision and what can still be done.
    await expect(second.page.getByRole('button', { name: 'Revoke approval' })).toBeVisible();
    await expect(second.approveButton).toBeHidden();
    const approvals = reviewDb.history(target).filter((entry) => entry.action === 'approve');
    expect(approvals).toHaveLength(1);
    expect(approvals[0]).toMatchObject({ actor: REVIEWER });
    await shot(adminPage, 'conflict');
    // The admin takes the approval back (revoke): pending again, recorded as theirs.
    await second.page.getByRole('button', { name: 'Revoke approval' }).click();
    await expect(second.approveButton).toBeVisible();
    expect(reviewDb.post(target).status).toBe('pending_review');
    expect(lastHistory(target)).toMatchObject({
      action: 'revoke',
      actor: 'e2eadmin',
      from_status: 'approved',
      to_status: 'pending_review',
    });

    // The agents' own SQL (reject_post) racing a reviewer: the reviewer loses with a clear message,
    // and the history names the direct database write.
    const other = pending[pending.length - 2]!;
    await first.goto(other);
    await expect(first.approveButton).toBeVisible();
    reviewDb.asAgent((db) =>
      db
        .prepare(
          "UPDATE agents_social_posts SET status='rejected', review_notes=?, reviewed_at=? WHERE post_id=?",
        )
        .run('Duplicate of a post from yesterday.', new Date().toISOString().slice(0, 23), other),
    );
    await first.approveButton.click();
    await expect(first.alert).toContainText(
      /Already rejected by a direct database write at \d{2}:\d{2} UTC\./,
    );
    expect(reviewDb.post(other).status).toBe('rejected');
    await expect(first.historyEntries.last()).toContainText('Direct database write');
    await expect(first.historyEntries.last()).toContainText('Duplicate of a post from yesterday.');
    // Reopen brings it back to review.
    await first.page.getByRole('button', { name: 'Reopen for review' }).click();
    await expect(first.approveButton).toBeVisible();
    expect(reviewDb.post(other).status).toBe('pending_review');
    expect(lastHistory(other)).toMatchObject({
      action: 'reopen',
      actor: REVIEWER,
      to_status: 'pending_review',
    });
  });

  test('a viewer reads the queue and posts but cannot decide: no buttons, and the action itself refuses', async ({
    viewerPage,
    reviewerPage,
    baseURL,
  }) => {
    const queue = new ReviewQueuePage(viewerPage);
    await queue.goto();
    await expect(queue.rows.first()).toBeVisible();
    await expect(viewerPage.getByRole('checkbox')).toHaveCount(0);
    await expect(viewerPage.getByText('You have the viewer role')).toBeVisible();
    expect(await queue.listedShortcuts()).toEqual(['j', 'k', 'Enter o', '/', 'Escape', '?']);
    await viewerPage.keyboard.press('x');
    await viewerPage.keyboard.press('a');
    await expect(queue.bulkBar).toBeHidden();

    const [captureTarget, victim] = reviewDb.pendingIds() as [string, string];
    const viewerFocus = new ReviewPostPage(viewerPage);
    await viewerFocus.goto(victim);
    await expect(viewerFocus.decision).toContainText('You have the viewer role');
    await expect(viewerFocus.approveButton).toHaveCount(0);
    await expect(viewerFocus.rejectButton).toHaveCount(0);
    expect(await viewerFocus.listedShortcuts()).toEqual(['j', 'k', '?', 'Escape']);
    await viewerPage.keyboard.press('a');
    expect(reviewDb.post(victim).status).toBe('pending_review');

    // Learn how the browser calls the approve action (its id and body) from a reviewer's click ...
    const reviewerFocus = new ReviewPostPage(reviewerPage);
    await reviewerFocus.goto(captureTarget);
    const [call] = await Promise.all([
      reviewerPage.waitForRequest(
        (request: Request) => request.method() === 'POST' && Boolean(request.headers()['next-action']),
      ),
      reviewerFocus.approveButton.click(),
    ]);
    const headers = await call.allHeaders();
    expect(call.postData()).toContain(captureTarget);
    // ... and replay it with the viewer's session against another pending post.
    const before = reviewDb.post(victim);
    const response = await viewerPage.request.post(call.url(), {
      headers: {
        'next-action': headers['next-action']!,
        'content-type': headers['content-type'] ?? 'text/plain;charset=UTF-8',
        accept: 'text/x-component',
        origin: baseURL!,
        ...(headers['next-router-state-tree']
          ? { 'next-router-state-tree': headers['next-router-state-tree'] }
          : {}),
      },
      data: JSON.stringify([{ postId: victim, version: before.console_version }]),
    });
    expect(await response.text()).toContain('This needs the reviewer role.');
    expect(reviewDb.post(victim)).toMatchObject({
      status: 'pending_review',
      console_version: before.console_version,
    });
    expect(reviewDb.history(victim).some((entry) => entry.action === 'approve')).toBe(false);
  });

  test('phone width: the queue and the focus view fit 390 px; dark mode', async ({ reviewerPage: page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    const queue = new ReviewQueuePage(page);
    await queue.goto();
    await expect(queue.rows.first()).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot(page, 'phone-queue');
    await shot(page, 'phone-queue-full', { fullPage: true });
    const focus = new ReviewPostPage(page);
    await focus.goto(reviewDb.pendingIds()[0]!);
    await expect(focus.approveButton).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot(page, 'phone-focus');
    await shot(page, 'phone-focus-full', { fullPage: true });
    // Dark mode (the console follows the system setting by default).
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.emulateMedia({ colorScheme: 'dark' });
    await focus.goto(reviewDb.pendingIds()[1]!);
    await shot(page, 'dark-focus');
    await new ReviewQueuePage(page).goto();
    await shot(page, 'dark-queue');
  });

  test('bulk approval with one post changed meanwhile: a per-post summary, then the empty queue', async ({
    reviewerPage: page,
  }) => {
    const queue = new ReviewQueuePage(page);
    await queue.goto('?size=100');
    const ids = await queue.rowIds();
    expect(ids.length).toBe(reviewDb.pendingIds().length);
    await page.getByRole('checkbox', { name: 'Select every row on this page' }).check();
    await expect(queue.bulkBar).toContainText(`${ids.length} selected`);
    // The agents reject one of them (their own SQL) before the reviewer clicks.
    reviewDb.asAgent((db) =>
      db
        .prepare(
          "UPDATE agents_social_posts SET status='rejected', review_notes='agent changed its mind' WHERE post_id=?",
        )
        .run(ids[0]),
    );
    await queue.bulkBar.getByRole('button', { name: `Approve ${ids.length}` }).click();
    await expect(queue.bulkSummary).toContainText(
      `Approved ${ids.length - 1} of ${ids.length}; 1 could not be changed`,
    );
    await expect(queue.bulkSummary).toContainText(/Already rejected by a direct database write/);
    expect(reviewDb.post(ids[0]!).status).toBe('rejected');
    for (const id of ids.slice(1)) expect(reviewDb.post(id).status).toBe('approved');
    expect(reviewDb.pendingIds()).toEqual([]);
    await expect(page.getByText('Nothing is waiting for review.')).toBeVisible();
    await expect(queue.tab(/^Pending review/).getByTestId('count-pending_review')).toHaveText('0');
    await page.getByRole('button', { name: 'Dismiss the summary' }).click();
    await shot(page, 'empty');
  });
});
