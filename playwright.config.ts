import { defineConfig, devices } from '@playwright/test';
import { prepareE2eEnvironment } from './e2e/support/environment';

// Debian's Chromium: `npx playwright install` cannot download browsers here (scripts/ensure-chromium.sh
// installs the package).
const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const isCI = process.env.CI === 'true' || process.env.CI === '1';

// A fresh temporary database, demo root and set of operators for every run (see environment.ts).
const e2e = await prepareE2eEnvironment();

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  globalSetup: './e2e/support/global-setup.ts',
  fullyParallel: false,
  // Two cores and one shared server: tests run one after another.
  workers: 1,
  forbidOnly: isCI,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    baseURL: e2e.baseURL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    actionTimeout: 10_000,
    navigationTimeout: 20_000,
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: {
          executablePath: CHROMIUM_PATH,
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--disable-quic',
            '--no-first-run',
          ],
        },
      },
    },
  ],
  webServer: {
    // Migrates and seeds the temporary database, creates the operators, then runs `next start`.
    command: 'node e2e/support/start-server.mjs',
    url: `${e2e.baseURL}/api/health`,
    reuseExistingServer: false,
    timeout: 180_000,
    stdout: 'ignore',
    stderr: 'pipe',
    gracefulShutdown: { signal: 'SIGTERM', timeout: 5_000 },
    env: {
      FOUNDUPS_DB_PATH: e2e.dbPath,
      FOUNDUPS_ROOT: e2e.rootDir,
      // Never let a DATABASE_URL from the caller's shell point the tests at a real database.
      DATABASE_URL: '',
      DATABASE_READ_URL: '',
      FOUNDUPS_E2E_CREDENTIALS: e2e.credentialsFile,
      PORT: String(e2e.port),
      NEXT_TELEMETRY_DISABLED: '1',
    },
  },
});
