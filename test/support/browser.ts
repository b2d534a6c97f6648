import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startWebRole, type WebRole } from '../../src/http/web-role.js';
import type { Role } from '../../src/domain/roles.js';
import { createTestApp, type TestApp } from './app.js';
import { freePort } from './spawn.js';

export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOT_DIR = join(process.cwd(), 'test-artifacts', 'screenshots');

/** Debian's chromium, headless; scripts/ci/tools.sh installs it on a bare machine. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run scripts/ci/tools.sh (apt chromium)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

export interface BrowserUser {
  id: number;
  email: string;
  password: string;
  role: Role;
}

export interface LiveSite {
  test: TestApp;
  web: WebRole;
  /** http://127.0.0.1:<port> */
  url: string;
  users: Record<'admin' | 'editor' | 'author', BrowserUser>;
  close(): Promise<void>;
}

/**
 * The whole web role (API, admin, site, media) on a fresh SQLite database and a free loopback port; `routes` adds
 * test-only routes (e.g. one that fails with a 500).
 */
export async function startLiveSite(
  env: Record<string, string> = {},
  routes?: (server: FastifyInstance) => void,
): Promise<LiveSite> {
  const port = await freePort();
  const test = await createTestApp('sqlite', { APP_URL: `http://127.0.0.1:${port}`, ...env });
  const users = {} as LiveSite['users'];
  for (const role of ['admin', 'editor', 'author'] as const) {
    const password = `pw-${role}-browser-0123`;
    const email = `${role}@example.com`;
    const { user } = await test.app.blog.users.create({ email, role, name: `The ${role}`, password });
    users[role] = { id: user.id, email, password, role };
  }
  const web = await startWebRole(test.app, { host: '127.0.0.1', port }, routes);
  return {
    test,
    web,
    url: `http://127.0.0.1:${port}`,
    users,
    async close() {
      await web.drain();
      await test.close();
    },
  };
}

/** Saves a full-page screenshot as a test artifact (test-artifacts/screenshots/<name>.png). */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

/** Signs in through the admin login form, as a person would. */
export async function signIn(page: Page, site: LiveSite, user: BrowserUser): Promise<void> {
  await page.goto(`${site.url}/admin/login`);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${site.url}/admin`);
}

/**
 * expect.poll with room for a loaded machine (its default gives up after one second): the page's modules fetch
 * from the API after load, so what a test waits for appears a moment later.
 */
export function poll<T>(fn: () => T | Promise<T>, timeout = 10_000) {
  return expect.poll(fn, { timeout, interval: 100 });
}

/** Browser tests drive many steps each; one minute per test, ten seconds per browser action. */
export const BROWSER_TEST_TIMEOUT_MS = 60_000;
export const BROWSER_ACTION_TIMEOUT_MS = 10_000;
