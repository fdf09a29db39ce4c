import { AppShell, LoginPage, expect, test } from './support/fixtures';

const SESSION_COOKIE = 'fu_session';

test.describe('signing in and out', () => {
  for (const path of ['/', '/review', '/registry']) {
    test(`an anonymous visit to ${path} lands on the sign-in page`, async ({ page, loginPage }) => {
      await page.goto(path);
      await loginPage.expectVisible();
      await expect(loginPage.username).toBeVisible();
      await expect(loginPage.password).toBeVisible();
    });
  }

  test('a wrong password is refused with a message and stays on /login', async ({
    page,
    loginPage,
    credentials,
  }) => {
    await loginPage.goto();
    await loginPage.signIn({
      username: credentials.viewer.username,
      password: `${credentials.viewer.password}-wrong`,
    });
    await expect(loginPage.error).toContainText(/wrong username or password/i);
    await loginPage.expectVisible();
    const cookies = await page.context().cookies();
    expect(cookies.map((cookie) => cookie.name)).not.toContain(SESSION_COOKIE);
  });

  test('a viewer signs in and sees the Overview with the navigation', async ({
    loginPage,
    appShell,
    credentials,
  }) => {
    await loginPage.goto();
    await loginPage.signInAndWait(credentials.viewer);
    await expect(appShell.heading('Overview')).toBeVisible();
    await appShell.expectNavigation();
    await expect(appShell.signOutButton).toBeVisible();
  });

  test('signing out returns to /login and the old session cookie stops working', async ({
    browser,
    page,
    loginPage,
    appShell,
    credentials,
  }) => {
    await loginPage.goto();
    await loginPage.signInAndWait(credentials.viewer);
    const sessionCookies = await page.context().cookies();
    expect(sessionCookies.find((cookie) => cookie.name === SESSION_COOKIE)).toMatchObject({ httpOnly: true });

    await appShell.signOut();
    await loginPage.expectVisible();
    await page.goto('/');
    await loginPage.expectVisible();

    // Replaying the cookie captured before sign-out, as someone who copied it would, gets nowhere:
    // the session was revoked on the server, not only deleted from this browser.
    const replay = await browser.newContext();
    await replay.addCookies(sessionCookies);
    const replayPage = await replay.newPage();
    await replayPage.goto('/');
    await new LoginPage(replayPage).expectVisible();
    await expect(new AppShell(replayPage).heading('Overview')).toHaveCount(0);
    await replay.close();
  });

  test('a saved viewer session opens the console directly', async ({ viewerPage }) => {
    await viewerPage.goto('/');
    const shell = new AppShell(viewerPage);
    await expect(shell.heading('Overview')).toBeVisible();
    await expect(shell.navLink('Overview')).toHaveAttribute('aria-current', 'page');
  });

  test('/api/health answers 200 without sign-in', async ({ playwright, baseURL }) => {
    // A request context of its own: no cookies from any signed-in page.
    const anonymous = await playwright.request.newContext({ baseURL });
    const response = await anonymous.get('/api/health');
    expect(response.status()).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true });
    await anonymous.dispose();
  });
});
