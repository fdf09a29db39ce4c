import fs from 'node:fs';
import { chromium, type FullConfig } from '@playwright/test';
import { ROLES, readCredentials, storageStatePath } from './credentials';
import { requireE2eEnvironment } from './environment';
import { LoginPage } from './login-page';

/**
 * Runs once, after the webServer is up (start-server.mjs has prepared the database by then): signs
 * each role in once and saves its browser state, so tests open signed-in pages without the form.
 * (The run's temporary directory is removed when the runner exits; see environment.ts.)
 */
export default async function globalSetup(config: FullConfig): Promise<void> {
  const env = requireE2eEnvironment();
  const credentials = readCredentials();
  const use = config.projects[0]?.use ?? {};
  fs.mkdirSync(env.storageDir, { recursive: true });

  const browser = await chromium.launch(use.launchOptions);
  try {
    for (const role of ROLES) {
      const context = await browser.newContext({ baseURL: env.baseURL });
      const page = await context.newPage();
      const login = new LoginPage(page);
      try {
        await login.goto();
        await login.signInAndWait(credentials[role]);
      } catch (error) {
        throw new Error(`e2e global setup: signing in as the ${role} operator failed: ${String(error)}`);
      }
      await context.storageState({ path: storageStatePath(role) });
      await context.close();
    }
  } finally {
    await browser.close();
  }
}
