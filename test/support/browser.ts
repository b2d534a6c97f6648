import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startWebRole, type WebRole } from '../../src/http/web-role.js';
import type { Role } from '../../src/domain/roles.js';
import { createTestApp, type TestApp } from './app.js';
import { freePort } from '../../scripts/lib/processes.js';

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
  /** A chromium for this site. */
  browser: SiteBrowser;
  /** Closes the browser, drains the web role, drops the database. */
  close(): Promise<void>;
}

/**
 * The whole web role (API, admin, site, media) on a fresh SQLite database and a free loopback port, and a chromium
 * to drive it; `routes` adds test-only routes (e.g. one that fails with a 500).
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
  const url = `http://127.0.0.1:${port}`;
  let browser: SiteBrowser;
  try {
    browser = await openBrowser(url);
  } catch (err) {
    await web.drain();
    await test.close();
    throw err;
  }
  return {
    test,
    web,
    url,
    users,
    browser,
    async close() {
      await browser.close();
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

/** Signs in through the admin login form of the site at `url`, as a person would. */
export async function signIn(page: Page, url: string, user: BrowserUser): Promise<void> {
  await page.goto(`${url}/admin/login`);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${url}/admin`);
}

/**
 * expect.poll with room for a loaded machine (its default gives up after one second): the page's modules fetch
 * from the API after load, so what a test waits for appears a moment later.
 */
export function poll<T>(fn: () => T | Promise<T>, timeout = 10_000) {
  return expect.poll(fn, { timeout, interval: 100 });
}

export interface PageOptions {
  viewport?: { width: number; height: number };
  /** Signed in as this user through the login form first. */
  as?: BrowserUser;
}

/** Chromium against one live site: every page set up the same way, and every page error collected. */
export interface SiteBrowser {
  readonly browser: Browser;
  /** Errors the pages threw or logged (a CSP refusal of an inline style or script lands here too). */
  readonly pageErrors: string[];
  /** A page in a new context (no cookies), replacing the one the previous freshPage made. */
  freshPage(options?: PageOptions): Promise<Page>;
  /** A page in a context of its own that stays open beside the others (two people at once) until close(). */
  newPage(options?: PageOptions): Promise<Page>;
  close(): Promise<void>;
}

/** Launches chromium for the site at `url`; close() closes every context it made and the browser. */
async function openBrowser(url: string): Promise<SiteBrowser> {
  const browser = await launchChromium();
  const pageErrors: string[] = [];
  let fresh: BrowserContext | undefined;
  const open = async (options: PageOptions): Promise<{ context: BrowserContext; page: Page }> => {
    const context = await browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(BROWSER_ACTION_TIMEOUT_MS);
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) pageErrors.push(m.text());
    });
    if (options.as) await signIn(page, url, options.as);
    return { context, page };
  };
  return {
    browser,
    pageErrors,
    async freshPage(options = {}) {
      await fresh?.close();
      const opened = await open(options);
      fresh = opened.context;
      return opened.page;
    },
    async newPage(options = {}) {
      return (await open(options)).page;
    },
    close: () => browser.close(),
  };
}

/** Browser tests drive many steps each; one minute per test, ten seconds per browser action. */
export const BROWSER_TEST_TIMEOUT_MS = 60_000;
export const BROWSER_ACTION_TIMEOUT_MS = 10_000;
