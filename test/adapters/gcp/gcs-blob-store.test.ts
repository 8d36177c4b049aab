/**
 * GcsBlobStore with the real @google-cloud/storage client pointed at a loopback server that records the
 * JSON API requests. Signed URLs are made offline with a key generated here, and their V4 signature is
 * checked against the public key over the canonical request rebuilt from the URL.
 */
import { createHash, generateKeyPairSync, verify, type KeyObject } from 'node:crypto';
import { jest } from '@jest/globals';
import { CRC32C, Storage } from '@google-cloud/storage';
import { GcsBlobStore, contentDisposition } from '../../../shared/adapters/gcp/gcs-blob-store.ts';
import { PreconditionFailedError } from '../../../shared/service/ports.ts';
import { startRecordingServer, type RecordedRequest, type RecordingServer, type Reply } from './recording-server.ts';

const BUCKET = 'mdraft-uploads-test';
const CLIENT_EMAIL = 'signer@mdraft-test.iam.gserviceaccount.com';

/** Just enough of the JSON API to answer what the store asks: objects in memory, generations counting up. */
function fakeGcs(): (req: RecordedRequest) => Reply {
  const objects = new Map<string, { bytes: Buffer; contentType: string; generation: number }>();
  let generation = 1000;
  const meta = (name: string) => {
    const o = objects.get(name)!;
    return {
      kind: 'storage#object',
      bucket: BUCKET,
      name,
      size: String(o.bytes.length),
      contentType: o.contentType,
      generation: String(o.generation),
      // What GCS reports so the client can check the upload arrived intact.
      md5Hash: createHash('md5').update(o.bytes).digest('base64'),
      crc32c: crc32cOf(o.bytes),
    };
  };
  return (req) => {
    const url = new URL(req.url, 'http://x');
    const objectPath = /^\/storage\/v1\/b\/([^/]+)\/o\/(.+)$/.exec(url.pathname);
    if (req.method === 'POST' && url.pathname === `/upload/storage/v1/b/${BUCKET}/o`) {
      const name = url.searchParams.get('name')!;
      const match = url.searchParams.get('ifGenerationMatch');
      const existing = objects.get(name);
      if (match !== null && String(existing?.generation ?? 0) !== match) {
        return {
          status: 412,
          body: { error: { code: 412, message: 'At least one of the pre-conditions you specified did not hold.' } },
        };
      }
      // multipart/related: JSON metadata part, then the media part.
      const boundary = /boundary=([^;]+)/.exec(String(req.headers['content-type']))![1]!.replace(/"/g, '');
      const parts = req.body.toString('latin1').split(`--${boundary}`).slice(1, -1);
      const [metaPart, mediaPart] = parts.map((p) => p.slice(p.indexOf('\r\n\r\n') + 4, -2));
      const metadata = JSON.parse(metaPart!) as { contentType?: string };
      objects.set(name, {
        bytes: Buffer.from(mediaPart!, 'latin1'),
        contentType: metadata.contentType ?? 'application/octet-stream',
        generation: ++generation,
      });
      return { status: 200, body: meta(name) };
    }
    if (objectPath) {
      const name = decodeURIComponent(objectPath[2]!);
      if (!objects.has(name)) return { status: 404, body: { error: { code: 404, message: 'No such object' } } };
      if (req.method === 'DELETE') {
        objects.delete(name);
        return { status: 204 };
      }
      if (url.searchParams.get('alt') === 'media')
        return {
          status: 200,
          headers: { 'content-type': objects.get(name)!.contentType },
          body: objects.get(name)!.bytes,
        };
      return { status: 200, body: meta(name) };
    }
    if (req.method === 'GET' && url.pathname === `/storage/v1/b/${BUCKET}/o`) {
      const prefix = url.searchParams.get('prefix') ?? '';
      return {
        status: 200,
        body: {
          kind: 'storage#objects',
          items: [...objects.keys()]
            .filter((n) => n.startsWith(prefix))
            .sort()
            .map(meta),
        },
      };
    }
    return { status: 400, body: { error: { code: 400, message: `unexpected ${req.method} ${req.url}` } } };
  };
}

function crc32cOf(bytes: Buffer): string {
  const crc = new CRC32C();
  crc.update(bytes);
  return crc.toString();
}

/** Rebuilds the V4 string-to-sign from the URL and the headers the client will send, and checks the signature. */
function verifyV4(signedUrl: string, method: string, headers: Record<string, string>, publicKey: KeyObject): boolean {
  const url = new URL(signedUrl);
  const rawParams = url.search
    .slice(1)
    .split('&')
    .map((p) => p.split('=') as [string, string]);
  const signature = rawParams.find(([k]) => k === 'X-Goog-Signature')![1];
  const canonicalQuery = rawParams
    .filter(([k]) => k !== 'X-Goog-Signature')
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map((p) => p.join('='))
    .join('&');
  const all: Record<string, string> = { host: url.hostname };
  for (const [k, v] of Object.entries(headers)) all[k.toLowerCase()] = v.trim();
  const names = Object.keys(all).sort();
  const signedHeaders = decodeURIComponent(
    url.searchParams.get('X-Goog-SignedHeaders') ? rawParams.find(([k]) => k === 'X-Goog-SignedHeaders')![1] : '',
  );
  if (signedHeaders !== names.join(';')) return false;
  const canonicalRequest = [
    method,
    url.pathname,
    canonicalQuery,
    names.map((n) => `${n}:${all[n]}\n`).join(''),
    signedHeaders,
    'UNSIGNED-PAYLOAD',
  ].join('\n');
  const date = url.searchParams.get('X-Goog-Date')!;
  const scope = url.searchParams.get('X-Goog-Credential')!.split('/').slice(1).join('/');
  const stringToSign = [
    'GOOG4-RSA-SHA256',
    date,
    scope,
    createHash('sha256').update(canonicalRequest).digest('hex'),
  ].join('\n');
  return verify('RSA-SHA256', Buffer.from(stringToSign), publicKey, Buffer.from(signature, 'hex'));
}

describe('GcsBlobStore against a recording JSON API server', () => {
  let server: RecordingServer;
  let store: GcsBlobStore;
  let publicKey: KeyObject;

  beforeAll(async () => {
    const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
    publicKey = keys.publicKey;
    server = await startRecordingServer(fakeGcs());
    // google-auth-library warns that `credentials` is deprecated; it is still the offline way to sign.
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const storage = new Storage({
      projectId: 'mdraft-test',
      apiEndpoint: server.origin,
      credentials: {
        client_email: CLIENT_EMAIL,
        private_key: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      },
      retryOptions: { autoRetry: false },
    });
    warn.mockRestore();
    store = new GcsBlobStore({ storage, bucket: BUCKET, now: () => Date.now() });
  });
  afterAll(async () => server.close());
  beforeEach(() => {
    server.requests.length = 0;
  });

  test('upload URL: V4, ≤ 15 minutes, signs content type, exact length range and create-only; the signature verifies', async () => {
    const asked = new Date(Date.now() + 60 * 60_000); // asks for an hour: clamped to 15 minutes
    const signed = await store.signUpload({
      name: 'u/alice/job_x/input',
      contentType: 'application/pdf',
      size: 1234,
      expiresAt: asked,
    });
    expect(signed.method).toBe('PUT');
    expect(signed.headers).toEqual({
      'Content-Type': 'application/pdf',
      'x-goog-content-length-range': '1234,1234',
      'x-goog-if-generation-match': '0',
    });
    const url = new URL(signed.url);
    expect(`${url.origin}${url.pathname}`).toBe(`${server.origin}/${BUCKET}/u/alice/job_x/input`);
    expect(url.searchParams.get('X-Goog-Algorithm')).toBe('GOOG4-RSA-SHA256');
    expect(Number(url.searchParams.get('X-Goog-Expires'))).toBeLessThanOrEqual(900);
    expect(Number(url.searchParams.get('X-Goog-Expires'))).toBeGreaterThan(890);
    expect(url.searchParams.get('X-Goog-SignedHeaders')).toBe(
      'content-type;host;x-goog-content-length-range;x-goog-if-generation-match',
    );
    expect(url.searchParams.get('X-Goog-Credential')).toMatch(
      new RegExp(`^${CLIENT_EMAIL}/\\d{8}/auto/storage/goog4_request$`),
    );
    expect(Date.parse(signed.expiresAt) - Date.now()).toBeLessThanOrEqual(900_000);
    expect(verifyV4(signed.url, 'PUT', signed.headers, publicKey)).toBe(true);
    // The signature binds every signed value: another size or type, or a dropped precondition, does not verify.
    expect(
      verifyV4(signed.url, 'PUT', { ...signed.headers, 'x-goog-content-length-range': '0,99999999' }, publicKey),
    ).toBe(false);
    expect(verifyV4(signed.url, 'PUT', { ...signed.headers, 'Content-Type': 'text/html' }, publicKey)).toBe(false);
    expect(verifyV4(signed.url.replace('input', 'other'), 'PUT', signed.headers, publicKey)).toBe(false);
    expect(server.requests).toEqual([]); // signing is offline
  });

  test('download URL: response disposition (RFC 6266 filename*) and type are signed query parameters', async () => {
    const signed = await store.signDownload('job_x/result.md', {
      expiresAt: new Date(Date.now() + 300_000),
      filename: 'Rapport été (v2).md',
      contentType: 'text/markdown; charset=utf-8',
    });
    const url = new URL(signed.url);
    expect(signed.method).toBe('GET');
    expect(url.searchParams.get('response-content-disposition')).toBe(
      `attachment; filename="Rapport _t_ (v2).md"; filename*=UTF-8''Rapport%20%C3%A9t%C3%A9%20%28v2%29.md`,
    );
    expect(url.searchParams.get('response-content-type')).toBe('text/markdown; charset=utf-8');
    expect(Number(url.searchParams.get('X-Goog-Expires'))).toBeLessThanOrEqual(300);
    expect(url.searchParams.get('X-Goog-SignedHeaders')).toBe('host');
    expect(verifyV4(signed.url, 'GET', {}, publicKey)).toBe(true);
  });

  test('write sends one multipart upload with the precondition; a second create-only write is a PreconditionFailedError', async () => {
    const stat = await store.write('job_y/result.md', new TextEncoder().encode('# Hello\n'), {
      contentType: 'text/markdown; charset=utf-8',
      ifGenerationMatch: 0,
    });
    expect(stat).toEqual({
      size: 8,
      contentType: 'text/markdown; charset=utf-8',
      generation: expect.stringMatching(/^\d+$/),
    });
    expect(server.requests).toHaveLength(1);
    const upload = new URL(server.requests[0]!.url, server.origin);
    expect(server.requests[0]!.method).toBe('POST');
    expect(upload.pathname).toBe(`/upload/storage/v1/b/${BUCKET}/o`);
    expect(upload.searchParams.get('uploadType')).toBe('multipart');
    expect(upload.searchParams.get('name')).toBe('job_y/result.md');
    expect(upload.searchParams.get('ifGenerationMatch')).toBe('0');
    await expect(
      store.write('job_y/result.md', new Uint8Array([1]), { contentType: 'text/plain', ifGenerationMatch: 0 }),
    ).rejects.toBeInstanceOf(PreconditionFailedError);
    // Without a precondition an overwrite is allowed and no ifGenerationMatch is sent.
    server.requests.length = 0;
    const again = await store.write('job_y/result.md', new TextEncoder().encode('# Bye\n'), {
      contentType: 'text/markdown',
    });
    expect(new URL(server.requests[0]!.url, server.origin).searchParams.has('ifGenerationMatch')).toBe(false);
    expect(BigInt(again.generation)).toBeGreaterThan(BigInt(stat.generation));
  });

  test('read, stat, list and delete map onto the JSON API; a missing object is undefined, deleting it is not an error', async () => {
    await store.write('p/one', new Uint8Array([1, 2, 3]), { contentType: 'application/octet-stream' });
    await store.write('p/two', new Uint8Array([4]), { contentType: 'text/plain' });
    await store.write('q/three', new Uint8Array([5]), { contentType: 'text/plain' });
    server.requests.length = 0;
    expect(await store.read('p/one')).toEqual(new Uint8Array([1, 2, 3]));
    expect(await store.stat('p/two')).toMatchObject({ size: 1, contentType: 'text/plain' });
    expect(await store.list('p/')).toEqual(['p/one', 'p/two']);
    await store.delete('p/one');
    expect(await store.read('p/one')).toBeUndefined();
    expect(await store.stat('p/one')).toBeUndefined();
    await expect(store.delete('p/one')).resolves.toBeUndefined();
    const calls = server.requests.map((r) => `${r.method} ${new URL(r.url, server.origin).pathname}`);
    expect(calls).toEqual(
      expect.arrayContaining([
        `GET /storage/v1/b/${BUCKET}/o/p%2Fone`,
        `GET /storage/v1/b/${BUCKET}/o/p%2Ftwo`,
        `GET /storage/v1/b/${BUCKET}/o`,
        `DELETE /storage/v1/b/${BUCKET}/o/p%2Fone`,
      ]),
    );
    const media = server.requests.find((r) => r.url.includes('alt=media'));
    expect(media?.method).toBe('GET');
    // Nothing asked the OAuth endpoint for a token: a custom endpoint is used unauthenticated.
    expect(server.requests.every((r) => r.url.startsWith('/storage/') || r.url.startsWith('/upload/'))).toBe(true);
  });

  test('contentDisposition keeps an ASCII fallback and encodes the exact name', () => {
    expect(contentDisposition('a"b\\c.md')).toBe(`attachment; filename="a_b_c.md"; filename*=UTF-8''a%22b%5Cc.md`);
  });

  test('an expiry in the past is refused rather than signed', async () => {
    await expect(
      store.signUpload({ name: 'x', contentType: 'text/plain', size: 1, expiresAt: new Date(Date.now() - 1000) }),
    ).rejects.toThrow(/future/);
  });
});
