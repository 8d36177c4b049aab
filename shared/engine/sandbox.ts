/**
 * The engine under limits: each conversion runs in a sandboxed converter (a worker thread, or a child process
 * whose whole memory is watched: `sandbox-hosts.ts`) with a memory ceiling and a wall-clock budget, so a
 * hostile or pathological document costs one converter, never the process. Converters are pooled and reused;
 * one that times out, runs out of memory or crashes is thrown away and replaced on demand.
 *
 * This module is light on purpose (no engine import): the CLI and servers load it at start-up, and only the
 * converters load pdf.js, tesseract and the format readers.
 */
import nodeModule from 'node:module';
import type { ConvertLimits, ConvertOptions, ConvertResult } from './types.ts';
import { ConversionError, conversionErrorFrom, type ConversionErrorCode } from './errors.ts';
import type { FromWorker, SandboxWorkerData, ToWorker } from './sandbox-worker.ts';
import type { OcrFactory } from './ocr.ts';
import { startHost, type HostLimits, type Isolation, type SandboxHost } from './sandbox-hosts.ts';

export interface SandboxLimits {
  /** Wall-clock budget per document, from the moment a ready worker receives it. Default 120 s. */
  timeoutMs?: number;
  /** V8 old-generation heap ceiling per worker. Default 1024 MB. */
  maxMemoryMb?: number;
  /** V8 young-generation ceiling per worker. Default 64 MB. */
  maxYoungMemoryMb?: number;
  /** Stack size per worker. Default 4 MB (Node's own default). */
  stackSizeMb?: number;
  /**
   * `thread` (default: starts fast, for the CLI) or `process` (the service: the child's whole resident set,
   * native and WebAssembly memory included, is held under `maxRssMb`).
   */
  isolation?: Isolation;
  /** Resident-set ceiling of a `process` converter, MB. Default `maxMemoryMb` + 1024. */
  maxRssMb?: number;
}

export interface ConverterPoolOptions extends SandboxLimits {
  /** Workers converting at once. Default 1. */
  size?: number;
  /**
   * The OCR engine the workers build on their first image or PDF (`shared/adapters/ocr-factories.ts` makes
   * these); absent or `false`: no OCR, pages without text get `needs_ocr`.
   */
  ocr?: OcrFactory | false;
  /** Engine limits (ZIP inflation, pages, cells) passed to every conversion. */
  limits?: Partial<ConvertLimits>;
  /** A module (URL or absolute path) exporting `convert(bytes, options, deps)` to run instead of the engine: tests and tools. */
  engineModule?: string | URL;
}

export interface JobOptions {
  /** Budget for this document only, overriding the pool's. */
  timeoutMs?: number;
  /**
   * Move the bytes to the worker instead of copying them (default true). Only done when the array spans its
   * whole buffer, so pooled Node Buffers are copied; a transferred array is detached (length 0) afterwards.
   */
  transfer?: boolean;
}

export interface ConverterPool {
  convert(bytes: Uint8Array, options?: ConvertOptions, job?: JobOptions): Promise<ConvertResult>;
  /**
   * Pages (PDF) or slides (PPTX) of `bytes` detected as `format`, read by the engine's own readers in a
   * converter under the same limits as a conversion (`job.timeoutMs` is the budget: past it the converter is
   * STOPPED, not left running). Undefined for a format without pages.
   * @throws ConversionError: `timeout`, `too_large` (memory), `corrupt`/`encrypted` (unreadable), `internal`.
   */
  countPages(bytes: Uint8Array, format: string, job?: JobOptions): Promise<number | undefined>;
  /**
   * Start the converters now (up to `size`) instead of on first use. Starting a `process` converter forks, and
   * a fork blocks the calling thread while the kernel copies the parent's page tables: measured 0.1 s for a
   * 50 MB server and 0.4–1 s for one of 0.5–1.6 GB on a loaded 2-core machine. A server warms its converters
   * at start-up, while it is small and serves no one, so the first conversion does not stall every request.
   */
  warm(): void;
  /** Finish nothing new: pending jobs are rejected, workers shut down. */
  close(): Promise<void>;
}

export const DEFAULT_TIMEOUT_MS = 120_000;
export const DEFAULT_MAX_MEMORY_MB = 1024;

interface Job {
  id: number;
  bytes: Uint8Array;
  /** What the converter is asked: a conversion, or a page count. */
  task: { type: 'job'; options: ConvertOptions } | { type: 'count'; format: string };
  timeoutMs: number;
  transfer: boolean;
  resolve(value: ConvertResult | number | undefined): void;
  reject(error: ConversionError): void;
}

interface Slot {
  host: SandboxHost;
  ready: boolean;
  job?: Job;
  timer?: NodeJS.Timeout;
  /** Set once the converter is being discarded, so its late events are ignored. */
  dead: boolean;
}

/**
 * A pool of `size` sandboxed converters, started on demand.
 * @throws nothing itself; each `convert` rejects with a `ConversionError` (`timeout`, `too_large`, `internal`…).
 */
export function createConverterPool(options: ConverterPoolOptions = {}): ConverterPool {
  return new Pool(options);
}

class Pool implements ConverterPool {
  private readonly size: number;
  private readonly timeoutMs: number;
  private readonly isolation: Isolation;
  private readonly limits: HostLimits;
  private readonly workerData: SandboxWorkerData;
  private readonly slots = new Set<Slot>();
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;

  constructor(options: ConverterPoolOptions) {
    this.size = Math.max(1, Math.floor(options.size ?? 1));
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.isolation = options.isolation ?? 'thread';
    const maxMemoryMb = options.maxMemoryMb ?? DEFAULT_MAX_MEMORY_MB;
    this.limits = {
      maxMemoryMb,
      maxYoungMemoryMb: options.maxYoungMemoryMb ?? 16,
      stackSizeMb: options.stackSizeMb ?? 4,
      maxRssMb: options.maxRssMb ?? maxMemoryMb + 1024,
    };
    this.workerData = {
      ...(options.ocr ? { ocr: { ...options.ocr, module: toModuleUrl(options.ocr.module) } } : {}),
      ...(options.limits ? { limits: options.limits } : {}),
      ...(options.engineModule ? { engineModule: toModuleUrl(options.engineModule) } : {}),
      ...(compileCacheDir() ? { compileCacheDir: compileCacheDir() } : {}),
    };
  }

  convert(bytes: Uint8Array, convertOptions: ConvertOptions = {}, job: JobOptions = {}): Promise<ConvertResult> {
    return this.submit(bytes, { type: 'job', options: convertOptions }, job) as Promise<ConvertResult>;
  }

  countPages(bytes: Uint8Array, format: string, job: JobOptions = {}): Promise<number | undefined> {
    return this.submit(bytes, { type: 'count', format }, job) as Promise<number | undefined>;
  }

  private submit(bytes: Uint8Array, task: Job['task'], job: JobOptions): Promise<ConvertResult | number | undefined> {
    if (this.closed) return Promise.reject(new ConversionError('internal', 'the converter pool is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({
        id: this.nextId++,
        bytes,
        task,
        timeoutMs: job.timeoutMs ?? this.timeoutMs,
        transfer: job.transfer ?? true,
        resolve,
        reject,
      });
      this.pump();
    });
  }

  warm(): void {
    while (!this.closed && this.slots.size < this.size) this.spawn();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const closedError = () => new ConversionError('internal', 'the converter pool was closed');
    for (const job of this.queue.splice(0)) job.reject(closedError());
    await Promise.all(
      [...this.slots].map(async (slot) => {
        slot.dead = true;
        clearTimeout(slot.timer);
        slot.job?.reject(closedError());
        slot.job = undefined;
        this.slots.delete(slot);
        await slot.host.close();
      }),
    );
  }

  private spawn(): Slot {
    const slot = { ready: false, dead: false } as Slot;
    slot.host = startHost(this.isolation, this.workerData, this.limits, {
      onMessage: (message) => this.onMessage(slot, message),
      onFailure: (error) => this.discard(slot, error),
    });
    this.slots.add(slot);
    return slot;
  }

  private onMessage(slot: Slot, message: FromWorker): void {
    if (slot.dead) return;
    if (message.type === 'ready') {
      slot.ready = true;
      if (slot.job) this.start(slot, slot.job);
      else slot.host.unref();
      this.pump();
      return;
    }
    const job = slot.job;
    if (!job || job.id !== message.id) return;
    clearTimeout(slot.timer);
    slot.host.watch(false);
    slot.job = undefined;
    slot.host.unref();
    if (message.type === 'result') job.resolve(message.result);
    else if (message.type === 'counted') job.resolve(message.pages ?? undefined);
    else job.reject(conversionErrorFrom(message.error as { code: ConversionErrorCode; message: string }));
    this.pump();
  }

  /** Hand the job to a ready converter and start its clock. */
  private start(slot: Slot, job: Job): void {
    slot.host.ref();
    slot.host.watch(true);
    const what = job.task.type === 'count' ? 'page count' : 'conversion';
    slot.timer = setTimeout(() => {
      this.discard(
        slot,
        new ConversionError('timeout', `${what} did not finish within ${formatSeconds(job.timeoutMs)}`),
      );
    }, job.timeoutMs);
    const message: ToWorker =
      job.task.type === 'count'
        ? { type: 'count', id: job.id, bytes: job.bytes, format: job.task.format }
        : { type: 'job', id: job.id, bytes: job.bytes, options: job.task.options };
    // A realm-neutral check: arrays made in another context (jest's vm) are not `instanceof` this ArrayBuffer.
    const whole =
      job.transfer &&
      job.bytes.byteOffset === 0 &&
      job.bytes.byteLength === job.bytes.buffer.byteLength &&
      Object.prototype.toString.call(job.bytes.buffer) === '[object ArrayBuffer]';
    slot.host.post(message, whole ? [job.bytes.buffer as ArrayBuffer] : []);
  }

  /** Throw a converter away (timeout, memory, crash); its job, if any, fails with `error`. */
  private discard(slot: Slot, error: ConversionError): void {
    if (slot.dead) return;
    slot.dead = true;
    clearTimeout(slot.timer);
    this.slots.delete(slot);
    const job = slot.job;
    slot.job = undefined;
    void slot.host.terminate();
    job?.reject(error);
    this.pump();
  }

  /** Give queued jobs to idle converters, spawning up to `size`. */
  private pump(): void {
    if (this.closed) return;
    while (this.queue.length > 0) {
      // A converter still starting already holds the job it was spawned for.
      let slot = [...this.slots].find((s) => s.ready && !s.job);
      if (!slot) {
        if (this.slots.size >= this.size) return;
        slot = this.spawn();
      }
      const job = this.queue.shift()!;
      slot.job = job;
      if (slot.ready) this.start(slot, job);
    }
  }
}

/** Convert one document in a fresh worker under limits, then shut the worker down. */
export async function convertInSandbox(
  bytes: Uint8Array,
  options: ConvertOptions = {},
  limits: Omit<ConverterPoolOptions, 'size'> = {},
): Promise<ConvertResult> {
  const pool = createConverterPool({ ...limits, size: 1 });
  try {
    return await pool.convert(bytes, options);
  } finally {
    await pool.close();
  }
}

/** The process's V8 compile cache directory (enabled by `bin/mdraft.js` or NODE_COMPILE_CACHE), if any. */
function compileCacheDir(): string | undefined {
  return nodeModule.getCompileCacheDir?.();
}

function toModuleUrl(module: string | URL): string {
  if (module instanceof URL) return module.href;
  return /^[a-z][a-z0-9+.-]*:/i.test(module)
    ? module
    : new URL(`file://${module.startsWith('/') ? '' : '/'}${module}`).href;
}

function formatSeconds(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
