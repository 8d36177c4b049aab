/**
 * `BlobStore` on local disk, one directory per bucket. Each object is ONE file: a JSON header line
 * (name, content type, size, generation) then the bytes, so an object and its metadata appear together:
 * create-only is `link()` (fails if the name exists), overwrite is `rename()`; both atomic.
 */
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { BlobStat, BlobStore, SignedRequest } from '../../service/ports.ts';
import { PreconditionFailedError, StorageFullError } from '../../service/ports.ts';
import type { UrlSigner } from './url-signer.ts';

interface Header {
  name: string;
  contentType: string;
  size: number;
  generation: string;
}

/** Raised by `putStream` for bodies outside the signed length range. */
export class LengthOutOfRangeError extends Error {
  readonly tooLarge: boolean;
  constructor(tooLarge: boolean, message: string) {
    super(message);
    this.name = 'LengthOutOfRangeError';
    this.tooLarge = tooLarge;
  }
}

let lastGeneration = 0n;
/** Microseconds since the epoch, strictly increasing in this process (GCS generations look alike). */
function nextGeneration(): string {
  const now = BigInt(Date.now()) * 1000n;
  lastGeneration = now > lastGeneration ? now : lastGeneration + 1n;
  return lastGeneration.toString();
}

export class DiskBlobStore implements BlobStore {
  readonly bucket: string;
  private readonly dir: string;
  private readonly tmp: string;
  private readonly signer: UrlSigner;
  private readonly baseUrl: string;
  private ready: Promise<void> | undefined;

  constructor(input: { root: string; bucket: string; signer: UrlSigner; baseUrl: string }) {
    this.bucket = input.bucket;
    this.dir = join(input.root, input.bucket, 'objects');
    this.tmp = join(input.root, input.bucket, 'tmp');
    this.signer = input.signer;
    this.baseUrl = input.baseUrl.replace(/\/+$/, '');
  }

  async signUpload(input: {
    name: string;
    contentType: string;
    size: number;
    expiresAt: Date;
  }): Promise<SignedRequest> {
    const headers = {
      'Content-Type': input.contentType,
      'x-goog-content-length-range': `${input.size},${input.size}`,
      'x-goog-if-generation-match': '0',
    };
    const path = this.signer.sign({
      method: 'PUT',
      bucket: this.bucket,
      name: input.name,
      expires: Math.floor(input.expiresAt.getTime() / 1000),
      headers,
    });
    return { url: `${this.baseUrl}${path}`, method: 'PUT', headers, expiresAt: secondsIso(input.expiresAt) };
  }

  async signDownload(
    name: string,
    input: { expiresAt: Date; filename?: string; contentType?: string },
  ): Promise<SignedRequest> {
    const response: Record<string, string> = {};
    if (input.contentType) response['response-content-type'] = input.contentType;
    if (input.filename) response['response-content-disposition'] = contentDisposition(input.filename);
    const path = this.signer.sign({
      method: 'GET',
      bucket: this.bucket,
      name,
      expires: Math.floor(input.expiresAt.getTime() / 1000),
      headers: {},
      response,
    });
    return { url: `${this.baseUrl}${path}`, method: 'GET', headers: {}, expiresAt: secondsIso(input.expiresAt) };
  }

  async read(name: string): Promise<Uint8Array | undefined> {
    const file = await this.load(name);
    return file?.bytes;
  }

  async readWithStat(name: string): Promise<{ bytes: Uint8Array; stat: BlobStat } | undefined> {
    const file = await this.load(name);
    return file ? { bytes: file.bytes, stat: statOf(file.header) } : undefined;
  }

  async write(
    name: string,
    bytes: Uint8Array,
    options: { contentType: string; ifGenerationMatch?: number },
  ): Promise<BlobStat> {
    await this.init();
    const header: Header = { name, contentType: options.contentType, size: bytes.length, generation: nextGeneration() };
    const tmp = join(this.tmp, randomBytes(12).toString('hex'));
    try {
      await fs.writeFile(tmp, Buffer.concat([headerLine(header), bytes]));
    } catch (error) {
      await fs.rm(tmp, { force: true }).catch(() => undefined);
      throw asStorageError(error);
    }
    return this.commit(tmp, header, options.ifGenerationMatch);
  }

  /**
   * Streams a body to the store, counting bytes as they arrive: a body outside `[minBytes, maxBytes]` is
   * refused as soon as it is known, and nothing is stored.
   */
  async putStream(
    name: string,
    body: AsyncIterable<Uint8Array>,
    options: { contentType: string; minBytes: number; maxBytes: number; ifGenerationMatch?: number },
  ): Promise<BlobStat> {
    // Streamed to a temporary file as it arrives (memory stays one chunk whatever the size), counted on every
    // chunk, then committed in one atomic step. The header line goes first in the file but its size is known
    // only at the end: room is reserved for it and it is rewritten in place, padded with JSON whitespace.
    await this.init();
    const draft: Header = { name, contentType: options.contentType, size: 0, generation: nextGeneration() };
    const reserved = headerLine(draft).length + HEADER_SLACK;
    const tmp = join(this.tmp, randomBytes(12).toString('hex'));
    let header: Header;
    try {
      const handle = await fs.open(tmp, 'wx');
      try {
        let size = 0;
        for await (const chunk of body) {
          size += chunk.length;
          if (size > options.maxBytes)
            throw new LengthOutOfRangeError(true, `the body exceeds ${options.maxBytes} bytes`);
          await handle.write(chunk, 0, chunk.length, reserved + size - chunk.length);
        }
        if (size < options.minBytes)
          throw new LengthOutOfRangeError(false, `the body is smaller than ${options.minBytes} bytes`);
        header = { ...draft, size };
        const json = Buffer.from(JSON.stringify(header), 'utf8');
        const line = Buffer.concat([json, Buffer.alloc(reserved - 1 - json.length, 0x20), Buffer.from('\n')]);
        await handle.write(line, 0, line.length, 0);
      } finally {
        await handle.close();
      }
    } catch (error) {
      await fs.rm(tmp, { force: true }).catch(() => undefined);
      throw asStorageError(error);
    }
    return this.commit(tmp, header, options.ifGenerationMatch);
  }

  /**
   * The object as a stream (from after its header line) with its stat, or undefined when it does not exist:
   * a download never holds the whole object in memory.
   */
  async openRead(name: string): Promise<{ stat: BlobStat; stream: NodeJS.ReadableStream } | undefined> {
    let handle;
    try {
      handle = await fs.open(this.pathOf(name), 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    try {
      const buf = Buffer.alloc(8192);
      const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
      const nl = buf.subarray(0, bytesRead).indexOf(0x0a);
      if (nl < 0) throw new Error(`${name}: unreadable object header`);
      const header = JSON.parse(buf.subarray(0, nl).toString('utf8')) as Header;
      return { stat: statOf(header), stream: handle.createReadStream({ start: nl + 1, autoClose: true }) };
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  async stat(name: string): Promise<BlobStat | undefined> {
    const header = await this.loadHeader(name);
    return header ? statOf(header) : undefined;
  }

  async delete(name: string): Promise<void> {
    await fs.rm(this.pathOf(name), { force: true });
  }

  async list(prefix: string): Promise<string[]> {
    await this.init();
    const names: string[] = [];
    for (const file of await fs.readdir(this.dir)) {
      const name = file.startsWith('h_') ? (await this.headerAt(join(this.dir, file)))?.name : safeDecode(file);
      if (name !== undefined && name.startsWith(prefix)) names.push(name);
    }
    return names.sort();
  }

  private async commit(tmp: string, header: Header, ifGenerationMatch: number | undefined): Promise<BlobStat> {
    const target = this.pathOf(header.name);
    try {
      if (ifGenerationMatch === 0) {
        try {
          await fs.link(tmp, target);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'EEXIST')
            throw new PreconditionFailedError(`${header.name} already exists`);
          throw error;
        }
      } else {
        if (ifGenerationMatch !== undefined) {
          const current = await this.loadHeader(header.name);
          if (current?.generation !== String(ifGenerationMatch))
            throw new PreconditionFailedError(`${header.name} is not at generation ${ifGenerationMatch}`);
        }
        await fs.rename(tmp, target);
      }
    } finally {
      await fs.rm(tmp, { force: true });
    }
    return statOf(header);
  }

  private pathOf(name: string): string {
    if (!name || name.length > 1024) throw new Error('invalid object name');
    const encoded = encodeURIComponent(name);
    // `.`/`..` survive encoding and would name a directory; long names would overflow NAME_MAX: hash both.
    const plain = encoded.length <= 200 && !encoded.startsWith('h_') && encoded !== '.' && encoded !== '..';
    const file = plain ? encoded : `h_${createHash('sha256').update(name).digest('hex')}`;
    return join(this.dir, file);
  }

  private async load(name: string): Promise<{ header: Header; bytes: Uint8Array } | undefined> {
    let data: Buffer;
    try {
      data = await fs.readFile(this.pathOf(name));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    const nl = data.indexOf(0x0a);
    const header = JSON.parse(data.subarray(0, nl).toString('utf8')) as Header;
    return { header, bytes: new Uint8Array(data.buffer, data.byteOffset + nl + 1, data.length - nl - 1) };
  }

  private async loadHeader(name: string): Promise<Header | undefined> {
    return this.headerAt(this.pathOf(name));
  }

  private async headerAt(path: string): Promise<Header | undefined> {
    let handle;
    try {
      handle = await fs.open(path, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    try {
      const buf = Buffer.alloc(4096);
      const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
      const nl = buf.subarray(0, bytesRead).indexOf(0x0a);
      return JSON.parse(buf.subarray(0, nl).toString('utf8')) as Header;
    } finally {
      await handle.close();
    }
  }

  private init(): Promise<void> {
    this.ready ??= Promise.all([fs.mkdir(this.dir, { recursive: true }), fs.mkdir(this.tmp, { recursive: true })]).then(
      () => undefined,
    );
    return this.ready;
  }
}

/** Room for the size field to grow from 0 to 16 digits when a streamed header is rewritten. */
const HEADER_SLACK = 20;

function headerLine(h: Header): Buffer {
  return Buffer.from(`${JSON.stringify(h)}\n`, 'utf8');
}

function statOf(h: Header): BlobStat {
  return { size: h.size, contentType: h.contentType, generation: h.generation };
}

function safeDecode(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}

function secondsIso(d: Date): string {
  return new Date(Math.floor(d.getTime() / 1000) * 1000).toISOString();
}

/** RFC 6266 with an ASCII fallback and the UTF-8 form. */
export function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

/** ENOSPC (no space) and EDQUOT (quota) → `StorageFullError`: a write the client may retry once room is made. */
function asStorageError(error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT'
    ? new StorageFullError(`the blob store has no room left (${code})`, { cause: error })
    : error;
}
