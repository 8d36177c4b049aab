/**
 * `Scanner` over the HTTP bridge (`scan-bridge.ts`), as deployed on Cloud Run beside a clamd sidecar
 * (`terraform/modules/mdraft/clamav.tf`). The service is private: each request carries a Google-signed ID
 * token for the service URL, from `idToken` (on Google Cloud: the metadata server, as the worker's account).
 */
import { ScannerUnavailableError, type Scanner, type ScanVerdict } from '../../service/ports.ts';

export interface HttpScannerOptions {
  /** The bridge's base URL (the Cloud Run service URL). */
  url: string;
  timeoutMs?: number;
  /** An ID token whose audience is `url`; none = no Authorization header (a local bridge). */
  idToken?: (audience: string) => Promise<string>;
  fetch?: typeof fetch;
}

export class HttpScanner implements Scanner {
  readonly kind = 'clamd-http';
  private readonly o: HttpScannerOptions;

  constructor(options: HttpScannerOptions) {
    this.o = { ...options, url: options.url.replace(/\/+$/, '') };
  }

  /** `GET <url>/healthz`: 200 when the bridge's clamd answers `PING`. */
  async ping(): Promise<boolean> {
    const doFetch = this.o.fetch ?? fetch;
    try {
      const token = this.o.idToken ? await this.o.idToken(this.o.url) : undefined;
      const res = await doFetch(`${this.o.url}/healthz`, {
        headers: token ? { Authorization: `Bearer ${token}` } : {},
        signal: AbortSignal.timeout(Math.min(this.o.timeoutMs ?? 5000, 5000)),
      });
      await res.arrayBuffer().catch(() => undefined);
      return res.status === 200;
    } catch {
      return false;
    }
  }

  /**
   * POSTs the bytes to `<url>/scan`.
   * @throws ScannerUnavailableError when the bridge is unreachable, times out, answers non-200 or nonsense.
   */
  async scan(input: Uint8Array | AsyncIterable<Uint8Array>): Promise<ScanVerdict> {
    const doFetch = this.o.fetch ?? fetch;
    let body: Uint8Array;
    if (input instanceof Uint8Array) body = input;
    else {
      const parts: Uint8Array[] = [];
      for await (const part of input) parts.push(part);
      body = Buffer.concat(parts);
    }
    let res: Response;
    try {
      const token = this.o.idToken ? await this.o.idToken(this.o.url) : undefined;
      res = await doFetch(`${this.o.url}/scan`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/octet-stream',
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
        },
        body: new Uint8Array(body),
        signal: AbortSignal.timeout(this.o.timeoutMs ?? 120_000),
      });
    } catch (error) {
      throw new ScannerUnavailableError(`scanner at ${this.o.url}: ${(error as Error).message}`, { cause: error });
    }
    const text = await res.text().catch(() => '');
    if (res.status !== 200)
      throw new ScannerUnavailableError(`scanner at ${this.o.url} answered ${res.status}: ${text.slice(0, 200)}`);
    let verdict: unknown;
    try {
      verdict = JSON.parse(text);
    } catch {
      verdict = undefined;
    }
    const v = verdict as { status?: unknown; signature?: unknown } | undefined;
    if (v?.status === 'clean') return { status: 'clean' };
    if (v?.status === 'infected' && typeof v.signature === 'string' && v.signature)
      return { status: 'infected', signature: v.signature };
    throw new ScannerUnavailableError(`scanner at ${this.o.url} answered an unexpected body: ${text.slice(0, 200)}`);
  }
}

/** An ID token for `audience` from the GCE/Cloud Run metadata server (the instance's service account). */
export async function metadataIdToken(audience: string): Promise<string> {
  const url = `http://metadata.google.internal/computeMetadata/v1/instance/service-accounts/default/identity?audience=${encodeURIComponent(audience)}&format=full`;
  const res = await fetch(url, { headers: { 'Metadata-Flavor': 'Google' }, signal: AbortSignal.timeout(5000) });
  if (!res.ok) throw new Error(`metadata server answered ${res.status} for an ID token`);
  return (await res.text()).trim();
}
