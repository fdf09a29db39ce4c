import { expect, type Locator, type Page } from '@playwright/test';

/** The sidebar sections, in the order the console shows them. */
export const NAV_SECTIONS = [
  'Overview',
  'Review',
  'Timeline',
  'Registry',
  'Satellites',
  'Ingest',
  'SQL',
  'Settings',
] as const;
export type NavSection = (typeof NAV_SECTIONS)[number];

/** The signed-in frame around every console page: sidebar navigation and the sign-out button. */
export class AppShell {
  readonly nav: Locator;
  readonly signOutButton: Locator;

  constructor(readonly page: Page) {
    this.nav = page.getByRole('navigation').filter({ has: page.getByRole('link', { name: /^Overview\b/ }) });
    this.signOutButton = page.getByRole('button', { name: 'Sign out' });
  }

  /** A sidebar link; sections not built yet may carry a note after their name, hence the prefix match. */
  navLink(section: NavSection): Locator {
    return this.nav.getByRole('link', { name: new RegExp(`^${section}\\b`) });
  }

  heading(name: string): Locator {
    return this.page.getByRole('heading', { name, exact: true });
  }

  async expectNavigation(): Promise<void> {
    for (const section of NAV_SECTIONS) await expect(this.navLink(section)).toBeVisible();
  }

  async goTo(section: NavSection): Promise<void> {
    await this.navLink(section).click();
  }

  async signOut(): Promise<void> {
    await this.signOutButton.click();
    await expect(this.page).toHaveURL(/\/login(\?|$)/);
  }
}
