/**
 * The page's headers and settings without a browser (`functions/routes/web.ts`): the CSP per deployment (the
 * embedded default, GCP without and with Firebase sign-in), the settings block's escaping, and what a missing
 * build answers. The browser behaviour is in test/web/.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../shared/service/config.ts';
import { createWebHandler, jsonForHtml, pageCsp, webSettings } from '../../functions/routes/web.ts';

const directives = (csp: string) =>
  new Map(
    csp.split(';').map((d) => {
      const [name, ...values] = d.trim().split(/\s+/);
      return [name, values] as const;
    }),
  );

test('the embedded default: self only, nothing framed, no Firebase origin', () => {
  const config = loadConfig({});
  const settings = webSettings(config);
  expect(settings).toEqual({ local: true });
  const d = directives(pageCsp(config, settings));
  expect(d.get('default-src')).toEqual(["'self'"]);
  expect(d.get('script-src')).toEqual(["'self'"]);
  expect(d.get('connect-src')).toEqual(["'self'"]);
  expect(d.get('frame-src')).toEqual(["'none'"]);
  expect(d.get('object-src')).toEqual(["'none'"]);
  expect(d.get('base-uri')).toEqual(["'none'"]);
  expect(d.get('frame-ancestors')).toEqual(["'none'"]);
});

test('GCP: uploads go to Cloud Storage; Firebase origins only once Firebase sign-in is configured', () => {
  const gcp = { MDRAFT_BACKEND: 'gcp', MDRAFT_GCP_PROJECT: 'acme-prod' };
  const without = loadConfig(gcp);
  const plain = pageCsp(without, webSettings(without));
  expect(directives(plain).get('connect-src')).toEqual(["'self'", 'https://storage.googleapis.com']);
  expect(plain).not.toContain('identitytoolkit');
  expect(webSettings(without)).toEqual({ local: false });

  const withFb = loadConfig({ ...gcp, MDRAFT_FIREBASE_WEB_API_KEY: 'AIzaSyTestKey_0123456789' });
  const settings = webSettings(withFb);
  expect(settings.firebase).toEqual({
    apiKey: 'AIzaSyTestKey_0123456789',
    authDomain: 'acme-prod.firebaseapp.com',
    projectId: 'acme-prod',
  });
  const d = directives(pageCsp(withFb, settings));
  expect(d.get('connect-src')).toEqual([
    "'self'",
    'https://storage.googleapis.com',
    'https://identitytoolkit.googleapis.com',
    'https://securetoken.googleapis.com',
  ]);
  expect(d.get('script-src')).toEqual(["'self'", 'https://apis.google.com']);
  expect(d.get('frame-src')).toEqual(['https://acme-prod.firebaseapp.com']);
  expect(pageCsp(withFb, settings)).not.toContain('unsafe');
});

test('the settings block cannot close its script element or open a comment', () => {
  const out = jsonForHtml({ a: '</script><script>alert(1)</script><!--&' });
  expect(out).not.toMatch(/[<>&]/);
  expect(JSON.parse(out)).toEqual({ a: '</script><script>alert(1)</script><!--&' });
});

test('without a build the page answers 503 web_not_built, in the error envelope', async () => {
  const empty = mkdtempSync(path.join(tmpdir(), 'mdraft-web-empty-'));
  try {
    const handler = createWebHandler(loadConfig({}), { root: empty });
    const res = await handler({
      method: 'GET',
      path: '/',
      query: new URLSearchParams(),
      headers: {},
      body: Buffer.alloc(0),
      requestId: 'r1',
    });
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ error: { code: 'web_not_built', message: expect.any(String), requestId: 'r1' } });
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
});

test('the embedded default with the Auth emulator: its origin instead of Google token endpoints', () => {
  const config = loadConfig({ FIREBASE_AUTH_EMULATOR_HOST: '127.0.0.1:9099' });
  const settings = webSettings(config);
  expect(settings.firebase).toMatchObject({ emulatorUrl: 'http://127.0.0.1:9099', projectId: 'demo-mdraft' });
  const d = directives(pageCsp(config, settings));
  expect(d.get('connect-src')).toEqual(["'self'", 'http://127.0.0.1:9099']);
  expect(d.get('frame-src')).toEqual(['http://127.0.0.1:9099', 'https://demo-mdraft.firebaseapp.com']);
});
