/**
 * HMAC-SHA256 signed URLs for the local blob server, modelled on GCS V4: the signature covers the
 * method, bucket, object, expiry, the list of signed headers AND their values, and the response
 * overrides of a download. A request must send every signed header with exactly the signed value.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface SignInput {
  method: 'PUT' | 'GET';
  bucket: string;
  name: string;
  /** Epoch seconds. */
  expires: number;
  /** Lower-case header names → values. */
  headers: Record<string, string>;
  /** Response overrides for downloads (`response-content-type`, `response-content-disposition`). */
  response?: Record<string, string>;
}

export const Q = {
  expires: 'X-MDraft-Expires',
  signedHeaders: 'X-MDraft-SignedHeaders',
  signature: 'X-MDraft-Signature',
} as const;

const RESPONSE_PARAMS = ['response-content-type', 'response-content-disposition'] as const;

export class UrlSigner {
  private readonly secret: Buffer;

  constructor(secret: string | Buffer) {
    this.secret = Buffer.isBuffer(secret) ? secret : Buffer.from(secret, 'utf8');
    if (this.secret.length < 32) throw new Error('the signing secret must be at least 32 bytes');
  }

  /** Path and query to append to the server's base URL. */
  sign(input: SignInput): string {
    const lower = Object.fromEntries(Object.entries(input.headers).map(([k, v]) => [k.toLowerCase(), v]));
    const names = Object.keys(lower).sort();
    const query = new URLSearchParams();
    query.set(Q.expires, String(input.expires));
    query.set(Q.signedHeaders, names.join(';'));
    for (const p of RESPONSE_PARAMS) if (input.response?.[p]) query.set(p, input.response[p]);
    query.set(
      Q.signature,
      this.signature(input.method, input.bucket, input.name, input.expires, names, (h) => lower[h], query),
    );
    return `${objectPath(input.bucket, input.name)}?${query.toString()}`;
  }

  /**
   * Checks a request against its URL. `headerOf` reads the request's header values. Returns why not, or
   * the signed header values on success.
   */
  verify(
    method: string,
    bucket: string,
    name: string,
    query: URLSearchParams,
    headerOf: (name: string) => string | undefined,
    nowMs: number,
  ):
    { ok: true; signedHeaders: Record<string, string> } | { ok: false; status: number; code: string; message: string } {
    const expiresRaw = query.get(Q.expires);
    const signedRaw = query.get(Q.signedHeaders);
    const given = query.get(Q.signature);
    if (
      !expiresRaw ||
      signedRaw === null ||
      !given ||
      !/^\d{1,12}$/.test(expiresRaw) ||
      !/^[0-9a-f]{64}$/.test(given)
    ) {
      return { ok: false, status: 403, code: 'AccessDenied', message: 'missing or malformed signature parameters' };
    }
    if (method !== 'PUT' && method !== 'GET')
      return { ok: false, status: 405, code: 'MethodNotAllowed', message: 'only PUT and GET' };
    const names = signedRaw === '' ? [] : signedRaw.split(';');
    const values: Record<string, string> = {};
    for (const h of names) values[h] = (headerOf(h) ?? '').trim();
    const expected = this.signature(method, bucket, name, Number(expiresRaw), names, (h) => values[h], query);
    const a = Buffer.from(expected, 'hex');
    const b = Buffer.from(given, 'hex');
    if (a.length !== b.length || !timingSafeEqual(a, b)) {
      return {
        ok: false,
        status: 403,
        code: 'SignatureDoesNotMatch',
        message: 'the request signature does not match (a signed header, the method or the URL differs)',
      };
    }
    if (Number(expiresRaw) * 1000 <= nowMs)
      return { ok: false, status: 400, code: 'ExpiredToken', message: 'the signed URL has expired' };
    return { ok: true, signedHeaders: values };
  }

  private signature(
    method: string,
    bucket: string,
    name: string,
    expires: number,
    names: string[],
    valueOf: (h: string) => string | undefined,
    query: URLSearchParams,
  ): string {
    const lines = [method, bucket, name, String(expires), names.join(';')];
    for (const h of names) lines.push(`${h}:${(valueOf(h) ?? '').trim()}`);
    for (const p of RESPONSE_PARAMS) lines.push(`${p}=${query.get(p) ?? ''}`);
    return createHmac('sha256', this.secret).update(lines.join('\n'), 'utf8').digest('hex');
  }
}

export const BLOB_ROUTE = '/_blobs/';

export function objectPath(bucket: string, name: string): string {
  return `${BLOB_ROUTE}${encodeURIComponent(bucket)}/${name.split('/').map(encodeURIComponent).join('/')}`;
}

/** `/_blobs/<bucket>/<name…>` → its parts, or undefined. */
export function parseObjectPath(pathname: string): { bucket: string; name: string } | undefined {
  if (!pathname.startsWith(BLOB_ROUTE)) return undefined;
  const rest = pathname.slice(BLOB_ROUTE.length);
  const slash = rest.indexOf('/');
  if (slash <= 0 || slash === rest.length - 1) return undefined;
  try {
    const bucket = decodeURIComponent(rest.slice(0, slash));
    const name = rest
      .slice(slash + 1)
      .split('/')
      .map(decodeURIComponent)
      .join('/');
    return { bucket, name };
  } catch {
    return undefined;
  }
}
