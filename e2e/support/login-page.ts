import { expect, type Locator, type Page } from '@playwright/test';
import type { Credentials } from './credentials';

/** The sign-in screen at /login. */
export class LoginPage {
  readonly username: Locator;
  readonly password: Locator;
  readonly submit: Locator;
  /** The message shown when sign-in is refused (wrong password, rate limit, disabled operator). */
  readonly error: Locator;

  constructor(readonly page: Page) {
    this.username = page.getByLabel('Username');
    this.password = page.getByLabel('Password');
    this.submit = page.getByRole('button', { name: 'Sign in' });
    // Next's route announcer is also role="alert"; only the form's own, non-empty alert counts.
    this.error = page
      .getByRole('alert')
      .and(page.locator(':not(#__next-route-announcer__)'))
      .filter({ hasText: /\S/ });
  }

  async goto(): Promise<void> {
    await this.page.goto('/login');
    await this.expectVisible();
  }

  async expectVisible(): Promise<void> {
    await expect(this.page).toHaveURL(/\/login(\?|$)/);
    await expect(this.submit).toBeVisible();
  }

  async signIn({ username, password }: Credentials): Promise<void> {
    await this.username.fill(username);
    await this.password.fill(password);
    await this.submit.click();
  }

  /** Signs in and waits for the Overview the console lands on. */
  async signInAndWait(credentials: Credentials): Promise<void> {
    await this.signIn(credentials);
    await expect(this.page).toHaveURL(/\/$/);
  }
}
