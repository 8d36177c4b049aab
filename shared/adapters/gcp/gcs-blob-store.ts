/**
 * `BlobStore` on Cloud Storage (one bucket per instance). Uploads never pass through the functions: callers
 * PUT to a V4 signed URL that pins the content type, the exact size (`x-goog-content-length-range`) and
 * create-only (`x-goog-if-generation-match: 0`), so GCS itself refuses anything else. On Cloud Functions the
 * library signs through IAM `signBlob` (no key file); with a key in `credentials` it signs locally.
 */
import type { Bucket, Storage } from '@google-cloud/storage';
import type { BlobStat, BlobStore, SignedRequest } from '../../service/ports.ts';
import { PreconditionFailedError } from '../../service/ports.ts';

/** Signed URLs are bearer tokens: uploads get at most 15 minutes whatever the caller asks for. */
export const MAX_UPLOAD_URL_MS = 15 * 60_000;
/** V4 signatures cannot outlive 7 days. */
const MAX_V4_MS = 7 * 86400_000;

export interface GcsBlobStoreOptions {
  storage: Storage;
  bucket: string;
  now?: () => number;
}

interface ObjectMetadata {
  size?: string | number;
  contentType?: string;
  generation?: string | number;
}

export class GcsBlobStore implements BlobStore {
  readonly bucket: string;
  private readonly handle: Bucket;
  private readonly now: () => number;

  constructor(options: GcsBlobStoreOptions) {
    this.bucket = options.bucket;
    this.handle = options.storage.bucket(options.bucket);
    this.now = options.now ?? Date.now;
  }

  async signUpload(input: {
    name: string;
    contentType: string;
    size: number;
    expiresAt: Date;
  }): Promise<SignedRequest> {
    if (!Number.isSafeInteger(input.size) || input.size < 0) throw new RangeError(`invalid upload size ${input.size}`);
    const expires = this.clampExpiry(input.expiresAt, MAX_UPLOAD_URL_MS);
    const extensionHeaders = {
      'x-goog-content-length-range': `${input.size},${input.size}`,
      'x-goog-if-generation-match': '0',
    };
    const [url] = await this.handle.file(input.name).getSignedUrl({
      version: 'v4',
      action: 'write',
      expires,
      contentType: input.contentType,
      extensionHeaders,
    });
    return {
      url,
      method: 'PUT',
      headers: { 'Content-Type': input.contentType, ...extensionHeaders },
      expiresAt: isoSeconds(expires),
    };
  }

  async signDownload(
    name: string,
    input: { expiresAt: Date; filename?: string; contentType?: string },
  ): Promise<SignedRequest> {
    const expires = this.clampExpiry(input.expiresAt, MAX_V4_MS);
    const [url] = await this.handle.file(name).getSignedUrl({
      version: 'v4',
      action: 'read',
      expires,
      ...(input.filename !== undefined ? { responseDisposition: contentDisposition(input.filename) } : {}),
      ...(input.contentType !== undefined ? { responseType: input.contentType } : {}),
    });
    return { url, method: 'GET', headers: {}, expiresAt: isoSeconds(expires) };
  }

  async read(name: string): Promise<Uint8Array | undefined> {
    try {
      const [bytes] = await this.handle.file(name).download();
      return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  async write(
    name: string,
    bytes: Uint8Array,
    options: { contentType: string; ifGenerationMatch?: number },
  ): Promise<BlobStat> {
    const file = this.handle.file(name);
    try {
      // A single multipart request: the objects are small (results) and a precondition makes a retry safe.
      await file.save(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
        resumable: false,
        contentType: options.contentType,
        metadata: { contentType: options.contentType },
        ...(options.ifGenerationMatch !== undefined
          ? { preconditionOpts: { ifGenerationMatch: options.ifGenerationMatch } }
          : {}),
      });
    } catch (error) {
      if (statusOf(error) === 412) {
        throw new PreconditionFailedError(
          `gs://${this.bucket}/${name}: generation does not match ${options.ifGenerationMatch}`,
        );
      }
      throw error;
    }
    return statOf(file.metadata as ObjectMetadata, bytes.byteLength, options.contentType);
  }

  async stat(name: string): Promise<BlobStat | undefined> {
    try {
      const [metadata] = await this.handle.file(name).getMetadata();
      return statOf(metadata as ObjectMetadata);
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  async delete(name: string): Promise<void> {
    await this.handle.file(name).delete({ ignoreNotFound: true });
  }

  async list(prefix: string): Promise<string[]> {
    const [files] = await this.handle.getFiles({ prefix, autoPaginate: true });
    return files.map((f) => f.name);
  }

  private clampExpiry(requested: Date, maxMs: number): Date {
    const now = this.now();
    const at = Math.min(requested.getTime(), now + maxMs);
    if (!(at > now)) throw new RangeError('a signed URL must expire in the future');
    // Whole seconds: that is the resolution of X-Goog-Expires.
    return new Date(Math.floor(at / 1000) * 1000);
  }
}

/** RFC 6266: an ASCII fallback plus the exact name as RFC 8187 `filename*`. */
export function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

function statOf(metadata: ObjectMetadata, fallbackSize?: number, fallbackType?: string): BlobStat {
  const size = metadata.size !== undefined ? Number(metadata.size) : fallbackSize;
  if (size === undefined || !Number.isFinite(size)) throw new Error('Cloud Storage returned an object without a size');
  if (metadata.generation === undefined) throw new Error('Cloud Storage returned an object without a generation');
  return {
    size,
    contentType: metadata.contentType ?? fallbackType ?? 'application/octet-stream',
    generation: String(metadata.generation),
  };
}

/** The HTTP status of an `ApiError` (gaxios/teeny-request errors carry it as `code`). */
function statusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'number') return code;
  const status = (error as { response?: { status?: unknown } }).response?.status;
  return typeof status === 'number' ? status : undefined;
}

function isoSeconds(at: Date): string {
  return new Date(Math.floor(at.getTime() / 1000) * 1000).toISOString();
}
