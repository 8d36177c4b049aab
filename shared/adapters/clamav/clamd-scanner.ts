/**
 * `Scanner` over ClamAV's daemon, clamd, speaking its socket protocol directly (clamd(8), "COMMANDS"):
 *
 *   client → `zINSTREAM\0`, then chunks `<length: uint32 big-endian><data>`, then a zero-length chunk
 *   clamd  → `stream: OK\0` | `stream: <signature> FOUND\0` | `<message> ERROR\0`, then closes
 *
 * The `z` prefix makes every command and reply NUL-terminated. clamd refuses a stream longer than its
 * `StreamMaxLength` (default 25 MB) with `INSTREAM size limit exceeded. ERROR` and closes the socket, possibly
 * while chunks are still being written: the reply, when one came, wins over the write error. Works over a
 * unix socket (`LocalSocket`) or TCP (`TCPSocket`/`TCPAddr`).
 */
import { connect, type Socket } from 'node:net';
import { ScannerUnavailableError, type Scanner, type ScanVerdict } from '../../service/ports.ts';

export type ClamdAddress = { socket: string } | { host: string; port: number };

export interface ClamdScannerOptions {
  address: ClamdAddress;
  /** Whole-scan budget (connect, stream, verdict), in milliseconds. Default 60 000. */
  timeoutMs?: number;
  /** Largest chunk sent in one frame, in bytes. Default 64 KiB (clamd reads frames of any size). */
  chunkBytes?: number;
}

const TERMINATOR = new Uint8Array(4);

export class ClamdScanner implements Scanner {
  readonly kind = 'clamd';
  private readonly address: ClamdAddress;
  private readonly timeoutMs: number;
  private readonly chunkBytes: number;

  constructor(options: ClamdScannerOptions) {
    this.address = options.address;
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.chunkBytes = options.chunkBytes ?? 64 * 1024;
  }

  /** Where clamd is, for logs: `unix:/path` or `host:port`. */
  describe(): string {
    return 'socket' in this.address ? `unix:${this.address.socket}` : `${this.address.host}:${this.address.port}`;
  }

  /**
   * Streams `input` to clamd with INSTREAM and returns its verdict.
   * @throws ScannerUnavailableError when clamd cannot be reached, times out, or answers an error (for
   *   example a stream over its StreamMaxLength) or an unparsable reply.
   */
  async scan(input: Uint8Array | AsyncIterable<Uint8Array>): Promise<ScanVerdict> {
    const reply = await this.exchange('zINSTREAM\0', async (send) => {
      for await (const chunk of input instanceof Uint8Array ? [input] : input) {
        for (let at = 0; at < chunk.length; at += this.chunkBytes) {
          const part = chunk.subarray(at, Math.min(chunk.length, at + this.chunkBytes));
          const header = Buffer.alloc(4);
          header.writeUInt32BE(part.length, 0);
          await send(header);
          await send(part);
        }
      }
      await send(TERMINATOR);
    });
    return parseClamdReply(reply);
  }

  /** `zPING` → `PONG`: whether clamd answers at all. */
  async ping(): Promise<boolean> {
    try {
      return (await this.exchange('zPING\0', async () => undefined)) === 'PONG';
    } catch {
      return false;
    }
  }

  /** Sends `command`, lets `body` write more, and returns clamd's NUL-terminated reply without the NUL. */
  private exchange(
    command: string,
    body: (send: (bytes: Uint8Array) => Promise<void>) => Promise<void>,
  ): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      const socket: Socket =
        'socket' in this.address
          ? connect({ path: this.address.socket })
          : connect({ host: this.address.host, port: this.address.port });
      const received: Buffer[] = [];
      let writeError: Error | undefined;
      let settled = false;
      const finish = (error?: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        socket.destroy();
        const text = Buffer.concat(received).toString('utf8');
        const end = text.indexOf('\0');
        if (end >= 0) return resolve(text.slice(0, end));
        const why = error ?? writeError;
        reject(
          new ScannerUnavailableError(
            why ? `clamd at ${this.describe()}: ${why.message}` : `clamd at ${this.describe()} closed without a reply`,
            why ? { cause: why } : undefined,
          ),
        );
      };
      const timer = setTimeout(() => finish(new Error(`no verdict within ${this.timeoutMs} ms`)), this.timeoutMs);
      socket.on('data', (data: Buffer) => {
        received.push(data);
        if (data.includes(0)) finish();
      });
      socket.on('error', (error) => finish(error));
      socket.on('close', () => finish());
      const send = (bytes: Uint8Array) =>
        new Promise<void>((ok, fail) => {
          if (settled || socket.destroyed) return fail(new Error('connection closed'));
          socket.write(bytes, (error) => (error ? fail(error) : ok()));
        });
      socket.once('connect', () => {
        send(Buffer.from(command, 'latin1'))
          .then(() => body(send))
          .catch((error: unknown) => {
            // clamd may have answered and hung up (size limit): keep reading; `finish` prefers its reply.
            writeError = error instanceof Error ? error : new Error(String(error));
          });
      });
    });
  }
}

/**
 * clamd's INSTREAM reply → verdict. `stream: OK` is clean; `stream: <name> FOUND` infected with `<name>`.
 * @throws ScannerUnavailableError for `… ERROR` replies (size limit, read errors) and anything else.
 */
export function parseClamdReply(reply: string): ScanVerdict {
  const text = reply.replace(/\0+$/, '').trim();
  const body = text.startsWith('stream: ') ? text.slice('stream: '.length) : text;
  if (body === 'OK') return { status: 'clean' };
  if (body.endsWith(' FOUND')) {
    const signature = body.slice(0, -' FOUND'.length).trim();
    if (signature) return { status: 'infected', signature };
  }
  if (body.endsWith(' ERROR')) throw new ScannerUnavailableError(`clamd refused the stream: ${body}`);
  throw new ScannerUnavailableError(`clamd answered something unexpected: ${JSON.stringify(text.slice(0, 200))}`);
}
