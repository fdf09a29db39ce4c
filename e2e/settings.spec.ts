import crypto from 'node:crypto';
import { SettingsPage } from './support/settings-page';
import { AppShell, LoginPage, expect, test } from './support/fixtures';

test.describe('settings', () => {
  test('an admin creates an API token, sees it once, uses it on the API, then revokes it', async ({
    adminPage,
    request,
  }) => {
    const settings = new SettingsPage(adminPage);
    await settings.goto('API tokens');
    const name = `e2e publisher ${crypto.randomBytes(3).toString('hex')}`;

    const secret = await settings.createToken(name, ['posts:publish']);
    expect(secret).toMatch(/^fu_[A-Za-z0-9_-]{43}$/);
    await expect(settings.tokenSecretBox.getByRole('heading')).toContainText('you won’t see it again');
    await expect(settings.status(settings.tokenForm)).toContainText(`Created API token "${name}"`);
    const row = settings.tokenRow(name);
    await expect(row).toContainText(`${secret.slice(0, 11)}…`);
    await expect(row).toContainText('active');
    await expect(row).toContainText('posts:publish');

    const authorised = await request.get('/api/v1/posts?status=approved', {
      headers: { Authorization: `Bearer ${secret}` },
    });
    expect(authorised.status()).toBe(200);
    expect(await authorised.json()).toMatchObject({ posts: expect.any(Array) });

    // Once the box is closed, or the page reloaded, the secret is nowhere to be seen again.
    await settings.tokenSecretBox.getByRole('button', { name: 'Done' }).click();
    await expect(settings.tokenSecretBox).toHaveCount(0);
    await adminPage.reload();
    await expect(settings.tokenRow(name)).toBeVisible();
    expect(await adminPage.content()).not.toContain(secret);
    // The API call above is the token's last use (columns: token, scopes, status, created, last used).
    await expect(settings.tokenRow(name).locator('td').nth(4)).toContainText('ago');

    await settings.revokeToken(name);
    await expect(
      adminPage.getByRole('status').filter({ hasText: `Revoked API token "${name}"` }),
    ).toBeVisible();
    await expect(settings.tokenRow(name)).toContainText('revoked');
    await expect(settings.tokenRow(name).getByRole('button', { name: 'Revoke', exact: true })).toHaveCount(0);

    const refused = await request.get('/api/v1/posts?status=approved', {
      headers: { Authorization: `Bearer ${secret}` },
    });
    expect(refused.status()).toBe(401);

    await settings.tab('Activity').click();
    await expect(adminPage).toHaveURL(/\/settings\/activity$/);
    const log = adminPage.getByRole('table', { name: 'Console activity, newest first' });
    await expect(log.locator('tbody tr').first()).toContainText('token.revoke');
    await expect(log).toContainText('token.create');
    await expect(log).not.toContainText(secret);
  });

  test('an admin creates an operator who signs in and changes their password, ending their other session', async ({
    adminPage,
    browser,
  }) => {
    const settings = new SettingsPage(adminPage);
    await settings.goto('Operators');
    const username = `e2enew${crypto.randomBytes(3).toString('hex')}`;
    const password = `initial-${crypto.randomBytes(9).toString('base64url')}`;

    // A weak password is refused on its field, and nothing else typed is lost.
    await settings.createOperator({
      username,
      displayName: 'New Reviewer',
      role: 'reviewer',
      password: 'short',
    });
    await expect(settings.operatorPassword).toHaveAttribute('aria-invalid', 'true');
    await expect(settings.operatorPassword).toHaveAccessibleDescription(/must have at least 10 characters/);
    await expect(settings.operatorUsername).toHaveValue(username);

    await settings.operatorPassword.fill(password);
    await settings.createOperatorButton.click();
    await expect(settings.status(settings.operatorForm)).toContainText(`Created reviewer "${username}"`);
    await expect(settings.operatorRow(username)).toContainText('Active');
    await expect(settings.operatorUsername).toHaveValue('');

    // The new operator signs in, twice (two devices).
    const first = await browser.newContext();
    const second = await browser.newContext();
    const firstPage = await first.newPage();
    const secondPage = await second.newPage();
    try {
      for (const page of [firstPage, secondPage]) {
        const login = new LoginPage(page);
        await login.goto();
        await login.signInAndWait({ username, password });
      }
      await expect(firstPage.getByText('reviewer', { exact: true })).toBeVisible();

      const own = new SettingsPage(firstPage);
      await own.goto();
      await expect(own.sessions.locator('tbody tr')).toHaveCount(2);
      const newPassword = `changed-${crypto.randomBytes(9).toString('base64url')}`;
      await own.currentPassword.fill('not my password');
      await own.newPassword.fill(newPassword);
      await own.confirmPassword.fill(newPassword);
      await own.changePasswordButton.click();
      await expect(own.currentPassword).toHaveAttribute('aria-invalid', 'true');
      await expect(own.status(own.changePasswordForm)).toContainText('The current password is wrong.');

      await own.currentPassword.fill(password);
      await own.changePasswordButton.click();
      await expect(own.status(own.changePasswordForm)).toContainText(
        'Password changed. 1 other session signed out.',
      );
      await expect(own.currentPassword).toHaveValue('');

      // The other device is signed out; this one stays.
      await secondPage.goto('/settings');
      await new LoginPage(secondPage).expectVisible();
      await firstPage.reload();
      await expect(own.heading).toBeVisible();
      await expect(own.sessions.locator('tbody tr')).toHaveCount(1);

      const again = new LoginPage(secondPage);
      await again.signInAndWait({ username, password: newPassword });
    } finally {
      await first.close();
      await second.close();
    }
  });

  test('the last admin is told they cannot demote themselves', async ({ adminPage, credentials }) => {
    const settings = new SettingsPage(adminPage);
    await settings.goto('Operators');
    const row = settings.operatorRow(credentials.admin.username);
    await row.getByLabel(`Role of ${credentials.admin.username}`).selectOption('viewer');
    await row.getByRole('button', { name: 'Save' }).click();
    await expect(adminPage.getByTestId('operator-result')).toContainText('You are the last active admin');
    await adminPage.reload();
    await expect(settings.tab('Operators')).toBeVisible();
    await expect(
      settings.operatorRow(credentials.admin.username).getByLabel(`Role of ${credentials.admin.username}`),
    ).toHaveValue('admin');
  });

  test('a viewer sees their own account only: no admin sections, and admin addresses refuse', async ({
    viewerPage,
  }) => {
    const settings = new SettingsPage(viewerPage);
    await viewerPage.goto('/');
    await new AppShell(viewerPage).navLink('Settings').click();
    await expect(settings.heading).toBeVisible();
    await expect(settings.tabs.getByRole('link')).toHaveText(['Account']);
    await expect(viewerPage.getByRole('region', { name: 'Change your password' })).toBeVisible();
    await expect(settings.sessions).toBeVisible();
    for (const tab of ['Operators', 'API tokens', 'Activity'] as const) {
      await settings.goto(tab);
      await expect(settings.adminOnly).toBeVisible();
      await expect(settings.tab(tab)).toHaveCount(0);
      await expect(viewerPage.getByRole('table')).toHaveCount(0);
      await expect(viewerPage.getByRole('button', { name: /Create/ })).toHaveCount(0);
    }
  });
});
