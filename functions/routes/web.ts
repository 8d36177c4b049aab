/**
 * The web app and the API reference page, served by the `api` function (deployed) and so by the embedded
 * default: `GET /` (the page, `dist/web/index.html` with this deployment's settings as a JSON data block),
 * `GET /assets/<name>-<hash>.<ext>` (the esbuild output of `shared/web/`, `immutable`), `GET /docs` (the API
 * reference) and `GET /docs/swagger-ui*.{js,css}` (swagger-ui-dist, straight from node_modules).
 *
 * Every page answers with a strict Content-Security-Policy: scripts only from this origin, no inline script
 * (the settings block is `type="application/json"`, data the browser never executes), no plugins, no framing,
 * no `<base>`. The Firebase Auth origins are allowed only when Firebase sign-in is configured. Built files
 * are read once and kept in memory (a few hundred kB).
 */
import { readFileSync, existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '../../shared/service/config.ts';
import type { HttpHandler, HttpRequest, HttpResponse } from '../../shared/service/http/types.ts';

/** What the page learns about the deployment (`WebConfig` in `shared/web/config.ts` reads the same shape). */
export interface WebSettings {
  /** The embedded default: the one-time sign-in link is the way in. */
  local: boolean;
  firebase?: { apiKey: string; authDomain: string; projectId: string; emulatorUrl?: string };
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.json': 'application/json; charset=utf-8',
};

/** The files of `swagger-ui-dist` the reference page loads (nothing else of that package is served). */
const SWAGGER_FILES = new Set(['swagger-ui-bundle.js', 'swagger-ui.css']);

/**
 * Where `npm run build` put the page: `dist/web` beside `dist/functions` when running the compiled functions,
 * `<repo>/dist/web` when running the TypeScript sources (`npm start`).
 */
export function defaultWebRoot(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.resolve(here, '../../web'), path.resolve(here, '../../dist/web')];
  return candidates.find((dir) => existsSync(path.join(dir, 'index.html'))) ?? candidates[1];
}

export function webSettings(config: Config): WebSettings {
  const emulator = config.authEmulator;
  if (emulator)
    return {
      local: config.backend === 'local',
      firebase: {
        // The emulator accepts any API key; the project is the one the server verifies tokens for.
        apiKey: 'emulator-api-key',
        authDomain: `${emulator.projectId}.firebaseapp.com`,
        projectId: emulator.projectId,
        emulatorUrl: `http://${emulator.host}`,
      },
    };
  const web = config.firebaseWeb;
  return {
    local: config.backend === 'local',
    ...(web ? { firebase: { apiKey: web.apiKey, authDomain: web.authDomain, projectId: web.projectId } } : {}),
  };
}

/**
 * The page's CSP (W3C Content Security Policy Level 3). `connect-src` adds where signed URLs point (Cloud
 * Storage on the gcp backend) and, with Firebase sign-in, the Identity Toolkit and Secure Token APIs (or the
 * emulator); `frame-src`/`script-src` add the auth domain and Google's API loader that `signInWithPopup` uses.
 */
export function pageCsp(config: Config, settings: WebSettings): string {
  const connect = ["'self'"];
  const script = ["'self'"];
  const frame: string[] = [];
  if (config.backend === 'gcp') connect.push('https://storage.googleapis.com');
  const fb = settings.firebase;
  if (fb) {
    // The emulator answers the token endpoints and serves the popup's helper frame itself; Google's API
    // loader (apis.google.com) is what `signInWithPopup` loads either way.
    if (fb.emulatorUrl) connect.push(fb.emulatorUrl);
    else connect.push('https://identitytoolkit.googleapis.com', 'https://securetoken.googleapis.com');
    script.push('https://apis.google.com');
    frame.push(...(fb.emulatorUrl ? [fb.emulatorUrl] : []), `https://${fb.authDomain}`);
  }
  return [
    "default-src 'self'",
    `script-src ${script.join(' ')}`,
    "style-src 'self'",
    "img-src 'self'",
    `connect-src ${connect.join(' ')}`,
    `frame-src ${frame.length ? frame.join(' ') : "'none'"}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The reference page's CSP: swagger-ui sets inline styles on its elements, so `'unsafe-inline'` for styles only. */
export const DOCS_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const PAGE_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin-allow-popups',
};

export interface WebHandlerOptions {
  /** The built page (default: `defaultWebRoot()`). */
  root?: string;
}

/** True for the paths this handler answers (the API router asks before its own routes). */
export function isWebPath(p: string): boolean {
  return p === '/' || p === '/index.html' || p.startsWith('/assets/') || p === '/docs' || p.startsWith('/docs/');
}

/**
 * @returns a handler for `isWebPath` paths: 200 with the file, 404 `not_found` for unknown assets, 405 for
 * methods other than GET/HEAD, 503 `web_not_built` when `npm run build` has not produced the page.
 */
export function createWebHandler(config: Config, options: WebHandlerOptions = {}): HttpHandler {
  const root = options.root ?? defaultWebRoot();
  const settings = webSettings(config);
  const csp = pageCsp(config, settings);
  const cache = new Map<string, Buffer>();
  const swaggerDir = (() => {
    try {
      return path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
    } catch {
      return undefined;
    }
  })();
  const read = (file: string): Buffer | undefined => {
    let bytes = cache.get(file);
    if (!bytes) {
      if (!existsSync(file)) return undefined;
      bytes = readFileSync(file);
      cache.set(file, bytes);
    }
    return bytes;
  };
  let index: string | undefined;

  return async (req: HttpRequest): Promise<HttpResponse> => {
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return problem(405, 'method_not_allowed', `${req.method} is not allowed here`, req, { Allow: 'GET, HEAD' });
    const p = req.path;
    if (p === '/' || p === '/index.html') {
      if (index === undefined) {
        const template = read(path.join(root, 'index.html'));
        if (!template) return notBuilt(req);
        index = template.toString('utf8').replace('%CONFIG%', jsonForHtml(settings));
      }
      return page(req, index, csp);
    }
    if (p === '/docs' || p === '/docs/') {
      const html = read(path.join(root, 'docs.html'));
      if (!html) return notBuilt(req);
      return page(req, html, DOCS_CSP);
    }
    if (p.startsWith('/docs/')) {
      const name = p.slice('/docs/'.length);
      const bytes = swaggerDir && SWAGGER_FILES.has(name) ? read(path.join(swaggerDir, name)) : undefined;
      if (!bytes) return problem(404, 'not_found', 'file not found', req);
      // Not content-hashed: revalidated after a day (a new swagger-ui-dist arrives only with a deploy).
      return file(req, bytes, name, 'public, max-age=86400');
    }
    // /assets/<name>: only names esbuild writes (no separators, no dot-dot), looked up among the built files.
    const name = p.slice('/assets/'.length);
    if (!/^[\w.-]+$/.test(name) || name.startsWith('.') || !assetNames(root).has(name))
      return problem(404, 'not_found', 'file not found', req);
    const bytes = read(path.join(root, 'assets', name));
    if (!bytes) return problem(404, 'not_found', 'file not found', req);
    return file(req, bytes, name, 'public, max-age=31536000, immutable');
  };
}

let assetCache: { root: string; names: Set<string> } | undefined;
function assetNames(root: string): Set<string> {
  if (assetCache?.root !== root) {
    const dir = path.join(root, 'assets');
    assetCache = { root, names: new Set(existsSync(dir) ? readdirSync(dir) : []) };
  }
  return assetCache.names;
}

/** JSON safe inside `<script type="application/json">`: `<` escaped so no `</script>` or `<!--` can appear. */
export function jsonForHtml(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

function page(req: HttpRequest, html: string | Buffer, csp: string): HttpResponse {
  return {
    status: 200,
    headers: {
      ...PAGE_HEADERS,
      'Content-Type': TYPES['.html'],
      'Content-Security-Policy': csp,
      'Cache-Control': 'no-cache',
    },
    body: req.method === 'HEAD' ? undefined : html,
  };
}

function file(req: HttpRequest, bytes: Buffer, name: string, cacheControl: string): HttpResponse {
  return {
    status: 200,
    headers: {
      ...PAGE_HEADERS,
      'Content-Type': TYPES[path.extname(name)] ?? 'application/octet-stream',
      'Cache-Control': cacheControl,
    },
    body: req.method === 'HEAD' ? undefined : bytes,
  };
}

function notBuilt(req: HttpRequest): HttpResponse {
  return problem(503, 'web_not_built', 'the web page is not built: run `npm run build`', req);
}

function problem(
  status: number,
  code: string,
  message: string,
  req: HttpRequest,
  headers: Record<string, string> = {},
): HttpResponse {
  return { status, headers, body: { error: { code, message, requestId: req.requestId } } };
}
