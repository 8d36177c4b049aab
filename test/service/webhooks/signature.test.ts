/** The `MDraft-Signature` scheme: what the server signs, the exported verifier accepts, and nothing else. */
import { createHmac } from 'node:crypto';
import { signatureHeader } from '../../../shared/service/webhooks/signature.ts';
import { verifyWebhook, WebhookSignatureError } from '../../../shared/client/webhooks.ts';

const secret = 'mdwhsec_' + 'k'.repeat(43);
const body = JSON.stringify({
  id: 'evt_1',
  type: 'job.succeeded',
  createdAt: '2027-01-10T12:00:00.000Z',
  job: { id: 'job_x', status: 'succeeded' },
});
const t = 1_800_000_000;
const now = t * 1000;

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(WebhookSignatureError);
    return (error as WebhookSignatureError).code;
  }
}

test('the header is t=<unix>,v1=<hex HMAC-SHA256 of "t.body"> keyed by the whole secret string', () => {
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  expect(signatureHeader(secret, t, body)).toBe(`t=${t},v1=${expected}`);
});

test('a signed body verifies, as a string or as bytes, and yields the event', () => {
  const header = signatureHeader(secret, t, body);
  expect(verifyWebhook(body, header, secret, { now })).toMatchObject({ id: 'evt_1', type: 'job.succeeded' });
  expect(verifyWebhook(Buffer.from(body), header, secret, { now }).job.id).toBe('job_x');
});

test('any changed byte, another secret or another timestamp is a mismatch', () => {
  const header = signatureHeader(secret, t, body);
  expect(codeOf(() => verifyWebhook(body.replace('succeeded', 'failed'), header, secret, { now }))).toBe(
    'signature_mismatch',
  );
  expect(codeOf(() => verifyWebhook(body, header, secret + 'x', { now }))).toBe('signature_mismatch');
  expect(codeOf(() => verifyWebhook(body, header.replace(`t=${t}`, `t=${t + 1}`), secret, { now }))).toBe(
    'signature_mismatch',
  );
});

test('the tolerance bounds replays: 300 s by default, either way, configurable', () => {
  const header = signatureHeader(secret, t, body);
  expect(() => verifyWebhook(body, header, secret, { now: now + 300_000 })).not.toThrow();
  expect(codeOf(() => verifyWebhook(body, header, secret, { now: now + 301_000 }))).toBe('timestamp_out_of_tolerance');
  expect(codeOf(() => verifyWebhook(body, header, secret, { now: now - 301_000 }))).toBe('timestamp_out_of_tolerance');
  expect(() => verifyWebhook(body, header, secret, { now: now + 3_000_000, toleranceS: 3600 })).not.toThrow();
});

test('several v1 values (secret rotation): one match is enough', () => {
  const good = signatureHeader(secret, t, body).split(',')[1];
  const other = signatureHeader('mdwhsec_other', t, body).split(',')[1];
  expect(() => verifyWebhook(body, `t=${t},${other},${good}`, secret, { now })).not.toThrow();
});

test('a missing or malformed header is refused with its own code', () => {
  expect(codeOf(() => verifyWebhook(body, undefined, secret, { now }))).toBe('signature_missing');
  expect(codeOf(() => verifyWebhook(body, '', secret, { now }))).toBe('signature_missing');
  expect(codeOf(() => verifyWebhook(body, 'v1=abc', secret, { now }))).toBe('signature_malformed');
  expect(codeOf(() => verifyWebhook(body, `t=${t}`, secret, { now }))).toBe('signature_malformed');
  expect(codeOf(() => verifyWebhook(body, `t=${t},v0=${'a'.repeat(64)}`, secret, { now }))).toBe('signature_malformed');
});
