import { expect, type Locator, type Page } from '@playwright/test';

export type SettingsTabName = 'Account' | 'Operators' | 'API tokens' | 'Activity';

const PATHS: Record<SettingsTabName, string> = {
  Account: '/settings',
  Operators: '/settings/operators',
  'API tokens': '/settings/tokens',
  Activity: '/settings/activity',
};

/** Settings at /settings: the account tab for everyone, operators, API tokens and activity for admins. */
export class SettingsPage {
  readonly heading: Locator;
  readonly tabs: Locator;
  readonly adminOnly: Locator;

  // Account
  readonly currentPassword: Locator;
  readonly newPassword: Locator;
  readonly confirmPassword: Locator;
  readonly changePasswordButton: Locator;
  readonly changePasswordForm: Locator;
  readonly sessions: Locator;
  readonly signOutOthersButton: Locator;

  // Operators
  readonly operatorForm: Locator;
  readonly operatorUsername: Locator;
  readonly operatorDisplayName: Locator;
  readonly operatorRole: Locator;
  readonly operatorPassword: Locator;
  readonly createOperatorButton: Locator;

  // API tokens
  readonly tokenForm: Locator;
  readonly tokenName: Locator;
  readonly tokenExpiry: Locator;
  readonly createTokenButton: Locator;
  readonly tokenSecretBox: Locator;
  readonly tokenSecret: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Settings', exact: true, level: 1 });
    this.tabs = page.getByRole('navigation', { name: 'Settings sections' });
    this.adminOnly = page.getByRole('region', { name: 'Admins only' });

    this.changePasswordForm = page.getByRole('form', { name: 'Change your password' });
    this.currentPassword = page.getByLabel('Current password');
    this.newPassword = page.getByLabel('New password', { exact: true });
    this.confirmPassword = page.getByLabel('Repeat the new password');
    this.changePasswordButton = page.getByRole('button', { name: 'Change password' });
    this.sessions = page.getByRole('table', { name: 'Your active sessions' });
    this.signOutOthersButton = page.getByRole('button', { name: 'Sign out other sessions' });

    this.operatorForm = page.getByRole('form', { name: 'Create an operator' });
    this.operatorUsername = this.operatorForm.getByLabel('Username');
    this.operatorDisplayName = this.operatorForm.getByLabel('Display name (optional)');
    this.operatorRole = this.operatorForm.getByLabel('Role', { exact: true });
    this.operatorPassword = this.operatorForm.getByLabel('Initial password');
    this.createOperatorButton = page.getByRole('button', { name: 'Create operator' });

    this.tokenForm = page.getByRole('form', { name: 'Create an API token' });
    this.tokenName = this.tokenForm.getByLabel('Name', { exact: true });
    this.tokenExpiry = this.tokenForm.getByLabel(/^Expires after/);
    this.createTokenButton = page.getByRole('button', { name: 'Create token' });
    this.tokenSecretBox = page.getByTestId('token-secret');
    this.tokenSecret = page.getByLabel('New API token secret');
  }

  async goto(tab: SettingsTabName = 'Account'): Promise<void> {
    await this.page.goto(PATHS[tab]);
    await expect(this.heading).toBeVisible();
  }

  tab(name: SettingsTabName): Locator {
    return this.tabs.getByRole('link', { name, exact: true });
  }

  /** The result line of a form (its polite live region). */
  status(form: Locator): Locator {
    return form.getByRole('status');
  }

  scope(scope: string): Locator {
    return this.tokenForm.getByRole('checkbox', { name: new RegExp(`^${scope}\\b`) });
  }

  tokenRow(name: string): Locator {
    return this.page.locator('tr[data-token-id]').filter({ hasText: name });
  }

  operatorRow(username: string): Locator {
    return this.page.locator(`tr[data-operator="${username}"]`);
  }

  async createToken(name: string, scopes: readonly string[]): Promise<string> {
    await this.tokenName.fill(name);
    for (const scope of scopes) await this.scope(scope).check();
    await this.createTokenButton.click();
    await expect(this.tokenSecretBox).toBeVisible();
    return this.tokenSecret.inputValue();
  }

  async revokeToken(name: string): Promise<void> {
    const row = this.tokenRow(name);
    await row.getByRole('button', { name: 'Revoke', exact: true }).click();
    await row.getByRole('button', { name: 'Revoke token' }).click();
  }

  async createOperator(input: {
    username: string;
    displayName?: string;
    role: string;
    password: string;
  }): Promise<void> {
    await this.operatorUsername.fill(input.username);
    if (input.displayName) await this.operatorDisplayName.fill(input.displayName);
    await this.operatorRole.selectOption(input.role);
    await this.operatorPassword.fill(input.password);
    await this.createOperatorButton.click();
  }
}
