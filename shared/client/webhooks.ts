/**
 * Verifying MDraft webhooks in a receiver (Node): `verifyWebhook(rawBody, req.headers['mdraft-signature'],
 * secret)` returns the event or throws `WebhookSignatureError` (a `code` says why). The scheme and its
 * tolerance (300 s by default) are documented in `shared/service/webhooks/signature.ts` and the README.
 * Kept out of `index.ts`: it needs node:crypto, which the web page's bundle does not carry.
 */
export {
  verifyWebhook,
  WebhookSignatureError,
  SIGNATURE_HEADER,
  DEFAULT_TOLERANCE_S,
  type WebhookEvent,
} from '../service/webhooks/signature.ts';
