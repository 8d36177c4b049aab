/**
 * Firebase sign-in on the web page, in chromium, against the real Firebase Auth emulator (firebase-tools,
 * `scripts/auth-emulator.ts`): the embedded default started with FIREBASE_AUTH_EMULATOR_HOST serves settings
 * naming the emulator, its CSP lets the page reach that origin (and no Google origin it does not need), the
 * Firebase web SDK creates an account and signs in with email and password, the API accepts its ID token
 * (the user record is created on first use), a wrong password is explained in words, and signing out
 * returns to the sign-in page.
 *
 * Google sign-in is not driven here: even against the emulator, the Firebase SDK's popup flow loads Google's
 * API loader from https://apis.google.com, and tests reach only loopback.
 *
 * Skipped with a loud warning when chromium or the firebase CLI is missing; never a silent pass.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import {
  firebaseToolsVersion,
  firebaseUnavailable,
  startAuthEmulator,
  type AuthEmulator,
} from '../../scripts/auth-emulator.ts';
import { startTestServer, type TestServer } from '../e2e/client.ts';

const CHROMIUM = process.env.MDRAFT_CHROMIUM ?? '/usr/bin/chromium';
const ROOT = path.resolve(import.meta.dirname, '../..');

const missing = existsSync(CHROMIUM)
  ? firebaseUnavailable()
  : `${CHROMIUM} does not exist (scripts/test-prerequisites.sh installs Debian's chromium)`;
if (missing) {
  const line = '!'.repeat(100);
  console.warn(
    `${line}\n!! The web app's Firebase sign-in browser test did NOT run: ${missing}\n` +
      `!! (firebase-tools ${firebaseToolsVersion()} is the devDependency that provides the Auth emulator.)\n${line}`,
  );
}
const suite = missing ? describe.skip : describe;

suite('the web app signs in through the Firebase Auth emulator', () => {
  let emulator: AuthEmulator;
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let webRoot: string;
  const problems: string[] = [];
  const previousHost = process.env.FIREBASE_AUTH_EMULATOR_HOST;

  beforeAll(async () => {
    webRoot = mkdtempSync(path.join(tmpdir(), 'mdraft-web-fb-'));
    execFileSync(process.execPath, [path.join(ROOT, 'scripts/build-web.mjs'), '--out', webRoot], { cwd: ROOT });
    emulator = await startAuthEmulator();
    // firebase-admin (inside the server) finds the emulator through this variable.
    process.env.FIREBASE_AUTH_EMULATOR_HOST = emulator.host;
    server = await startTestServer({ FIREBASE_AUTH_EMULATOR_HOST: emulator.host }, { webRoot });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
    });
    page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('dialog', (d) => {
      problems.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) problems.push(`CSP: ${m.text()}`);
    });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await emulator?.stop();
    if (previousHost === undefined) delete process.env.FIREBASE_AUTH_EMULATOR_HOST;
    else process.env.FIREBASE_AUTH_EMULATOR_HOST = previousHost;
    if (webRoot) rmSync(webRoot, { recursive: true, force: true });
  }, 60_000);

  test('the CSP admits the emulator origin, and the settings name it', async () => {
    const res = await fetch(`${server.url}/`);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(new RegExp(`connect-src 'self' http://${emulator.host.replace(/[.]/g, '\\.')}(;|$)`));
    expect(csp).not.toContain('unsafe-inline');
    const settings = JSON.parse(/id="mdraft-config">([^<]*)</.exec(await res.text())![1]) as {
      firebase?: { emulatorUrl?: string; projectId: string };
    };
    expect(settings.firebase).toMatchObject({ emulatorUrl: `http://${emulator.host}`, projectId: emulator.projectId });
  });

  test('create an account with email and password, use the API with its ID token, sign out', async () => {
    await page.goto(`${server.url}/`);
    await page.getByRole('heading', { name: 'With your account' }).waitFor();
    await page.getByLabel('Email').fill('grace@example.com');
    await page.getByLabel('Password').fill('correct horse battery');
    mkdirSync(path.join(ROOT, 'docs/screenshots'), { recursive: true });
    await page.screenshot({ path: path.join(ROOT, 'docs/screenshots/sign-in-firebase.png'), fullPage: true });
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByText('Signed in as').waitFor({ timeout: 30_000 });
    expect(await page.locator('.who strong').textContent()).toBe('grace@example.com');
    // The API saw a verified ID token: the user record exists, with the email.
    const users = await server.deps.userAdmin!.searchUsers({ emailPrefix: 'grace@example.com', limit: 5 });
    expect(users.users.map((u) => u.email)).toEqual(['grace@example.com']);

    // The token works for the page's calls: the keys view lists (none yet).
    await page.getByRole('button', { name: 'API keys' }).click();
    await page.getByRole('heading', { name: 'API keys' }).waitFor();
    expect(await page.locator('.keys [role="alert"]').count()).toBe(0);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to MDraft' }).waitFor();

    await page.getByLabel('Email').fill('grace@example.com');
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByText('Wrong email or password.').waitFor();

    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByText('Signed in as').waitFor({ timeout: 30_000 });
    expect(problems).toEqual([]);
  });
});
