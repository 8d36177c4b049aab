import { randomBytes } from 'node:crypto';

/** Reuses a caller's or the load balancer's id when it looks safe, else makes one. */
export function requestIdFrom(headers: Record<string, string | undefined>): string {
  const given = headers['x-request-id'];
  if (given && /^[A-Za-z0-9._:-]{8,128}$/.test(given)) return given;
  const trace = headers['x-cloud-trace-context']?.split('/')[0];
  if (trace && /^[0-9a-f]{32}$/i.test(trace)) return trace;
  return randomBytes(12).toString('hex');
}
