import { test as base, type Page } from '@playwright/test';
import { AppShell } from './app-shell';
import { readCredentials, storageStatePath, type Credentials, type Role } from './credentials';
import { LoginPage } from './login-page';

export { expect } from '@playwright/test';
export { AppShell, NAV_SECTIONS } from './app-shell';
export { LoginPage } from './login-page';
export type { Role } from './credentials';

interface ConsoleFixtures {
  /** Page objects over the default (anonymous) `page`. */
  loginPage: LoginPage;
  appShell: AppShell;
  /** A new page already signed in as that role (its own browser context, closed after the test). */
  pageAs: (role: Role) => Promise<Page>;
  viewerPage: Page;
  reviewerPage: Page;
  adminPage: Page;
}

interface WorkerFixtures {
  /** Usernames and passwords of this run's admin, reviewer and viewer operators. */
  credentials: Record<Role, Credentials>;
}

// The fixture callback is named `provide`, not Playwright's usual `use`, so React's hook lint rule
// does not mistake it for React's use().
export const test = base.extend<ConsoleFixtures, WorkerFixtures>({
  credentials: [
    async ({}, provide) => {
      await provide(readCredentials());
    },
    { scope: 'worker' },
  ],
  loginPage: async ({ page }, provide) => {
    await provide(new LoginPage(page));
  },
  appShell: async ({ page }, provide) => {
    await provide(new AppShell(page));
  },
  pageAs: async ({ browser }, provide) => {
    const contexts: Awaited<ReturnType<typeof browser.newContext>>[] = [];
    await provide(async (role) => {
      // browser.newContext inside a test inherits the config's `use` (baseURL, tracing, screenshots).
      const context = await browser.newContext({ storageState: storageStatePath(role) });
      contexts.push(context);
      return context.newPage();
    });
    await Promise.all(contexts.map((context) => context.close()));
  },
  viewerPage: async ({ pageAs }, provide) => {
    await provide(await pageAs('viewer'));
  },
  reviewerPage: async ({ pageAs }, provide) => {
    await provide(await pageAs('reviewer'));
  },
  adminPage: async ({ pageAs }, provide) => {
    await provide(await pageAs('admin'));
  },
});
