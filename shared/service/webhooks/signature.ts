/**
 * Webhook signatures, on the model of Stripe's scheme (https://docs.stripe.com/webhooks#verify-manually):
 *
 *   MDraft-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>
 *
 * The HMAC key is the whole signing secret string (`mdwhsec_…`) as UTF-8, exactly as shown when the API key
 * was created. The timestamp is signed with the body, so a captured request cannot be replayed later than the
 * receiver's tolerance (default 300 s, Stripe's default). Receivers verify over the RAW body bytes (before
 * any JSON parsing), compare in constant time, and accept any of several `v1=` values (a header may carry one
 * per secret while a secret is being rotated). Receivers should also de-duplicate by the event's `id`:
 * delivery is at least once.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'MDraft-Signature';
/** How old (or how far in the future) a signature's `t` may be, by default: 5 minutes. */
export const DEFAULT_TOLERANCE_S = 300;
/** Signing secrets start with this (a secret, like an API key, must never be logged). */
export const WEBHOOK_SECRET_PREFIX = 'mdwhsec_';

/** The hex HMAC-SHA256 of `"<timestamp>.<body>"` under `secret`. */
export function computeSignature(secret: string, timestamp: number, body: string | Uint8Array): string {
  const mac = createHmac('sha256', Buffer.from(secret, 'utf8'));
  mac.update(`${timestamp}.`, 'utf8');
  mac.update(typeof body === 'string' ? Buffer.from(body, 'utf8') : body);
  return mac.digest('hex');
}

/**
 * The `MDraft-Signature` header value for `body` sent at `timestamp`.
 * @param timestamp unix time in whole seconds.
 */
export function signatureHeader(secret: string, timestamp: number, body: string | Uint8Array): string {
  return `t=${timestamp},v1=${computeSignature(secret, timestamp, body)}`;
}

/** Why a webhook request was not accepted: `code` is stable. */
export class WebhookSignatureError extends Error {
  readonly code: 'signature_missing' | 'signature_malformed' | 'signature_mismatch' | 'timestamp_out_of_tolerance';
  constructor(code: WebhookSignatureError['code'], message: string) {
    super(message);
    this.name = 'WebhookSignatureError';
    this.code = code;
  }
}

/** An MDraft webhook event (the request body). */
export interface WebhookEvent {
  /** `evt_…`: the same for every delivery attempt of one event (de-duplicate on it). */
  id: string;
  type: 'job.succeeded' | 'job.failed' | 'job.expired';
  /** When the job reached the state (ISO-8601, UTC). */
  createdAt: string;
  job: {
    id: string;
    status: 'succeeded' | 'failed' | 'expired';
    /** The job's error code, for `job.failed` and `job.expired`. */
    errorCode?: string;
  };
}

/**
 * Checks a webhook request and returns its event. Pass the raw body exactly as received.
 *
 * @param body the raw request body (string or bytes).
 * @param header the `MDraft-Signature` header value.
 * @param secret the signing secret shown when the API key was created.
 * @param options `toleranceS` (default 300) and `now` (ms, default `Date.now()`).
 * @throws WebhookSignatureError when the header is missing or malformed, no `v1` matches, or `t` is further
 *   than the tolerance from now.
 */
export function verifyWebhook(
  body: string | Uint8Array,
  header: string | null | undefined,
  secret: string,
  options: { toleranceS?: number; now?: number } = {},
): WebhookEvent {
  if (!header) throw new WebhookSignatureError('signature_missing', `no ${SIGNATURE_HEADER} header`);
  let timestamp: number | undefined;
  const candidates: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't' && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (key === 'v1' && /^[0-9a-f]{64}$/.test(value)) candidates.push(value);
  }
  if (timestamp === undefined || candidates.length === 0)
    throw new WebhookSignatureError('signature_malformed', `${SIGNATURE_HEADER} needs t=<unix> and v1=<hex>`);
  const expected = Buffer.from(computeSignature(secret, timestamp, body), 'hex');
  if (!candidates.some((c) => timingSafeEqual(Buffer.from(c, 'hex'), expected)))
    throw new WebhookSignatureError('signature_mismatch', 'no signature matches the body and secret');
  const tolerance = options.toleranceS ?? DEFAULT_TOLERANCE_S;
  const nowS = Math.floor((options.now ?? Date.now()) / 1000);
  if (Math.abs(nowS - timestamp) > tolerance)
    throw new WebhookSignatureError(
      'timestamp_out_of_tolerance',
      `the signature is ${nowS - timestamp} s old; at most ${tolerance} s are accepted`,
    );
  const text = typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
  return JSON.parse(text) as WebhookEvent;
}
