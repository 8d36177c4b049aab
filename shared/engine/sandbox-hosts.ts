/**
 * Where a sandboxed converter runs: a worker thread (cheap to start; the V8 heap is capped, but native and
 * WebAssembly memory are not) or a child process (slower to start; its whole resident set is watched and the
 * process killed past a ceiling, so an image or font bomb that allocates outside the V8 heap fails once with
 * `too_large` instead of taking the server down). Both speak the same messages (`sandbox-worker.ts`).
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import { Worker } from 'node:worker_threads';
import { ConversionError } from './errors.ts';
import type { FromWorker, SandboxWorkerData, ToWorker } from './sandbox-worker.ts';

export type Isolation = 'thread' | 'process';

export interface HostLimits {
  /** V8 old-generation heap ceiling, MB. */
  maxMemoryMb: number;
  maxYoungMemoryMb: number;
  stackSizeMb: number;
  /** Resident-set ceiling of a child process, MB (native and WebAssembly memory included). Process hosts only. */
  maxRssMb: number;
}

/** One sandboxed converter, seen from the pool. */
export interface SandboxHost {
  post(message: ToWorker, transfer: ArrayBuffer[]): void;
  /** Keep the parent alive while a job runs; let it exit while idle. */
  ref(): void;
  unref(): void;
  /** Start or stop watching resource use (only while a job runs). */
  watch(on: boolean): void;
  /** Kill at once. */
  terminate(): Promise<void>;
  /** Ask for a clean exit (the worker closes its OCR engine), forcing it after a grace period. */
  close(): Promise<void>;
}

export interface HostEvents {
  onMessage(message: FromWorker): void;
  /** The host died or was killed: the error its job (if any) fails with. */
  onFailure(error: ConversionError): void;
}

// The worker runs from the same tree as this module: `.ts` from source (Node's type stripping, jest), `.js` from dist/.
const workerUrl = new URL(
  import.meta.url.endsWith('.ts') ? './sandbox-worker.ts' : './sandbox-worker.js',
  import.meta.url,
);

export function startHost(isolation: Isolation, data: SandboxWorkerData, limits: HostLimits, events: HostEvents) {
  return isolation === 'process' ? new ProcessHost(data, limits, events) : new ThreadHost(data, limits, events);
}

const heapExhausted = (limits: HostLimits) =>
  new ConversionError('too_large', `the document needs more than the ${limits.maxMemoryMb} MB memory ceiling`);

/** The semi-space size (MB) of a young generation of `youngMb`: V8 sizes it as three semi-spaces. */
const semiSpaceMb = (youngMb: number) => Math.max(1, Math.floor(youngMb / 3));

let semiSpaceFloorMb = 0;

/**
 * Start new isolates with their young generation at full size. V8 starts a semi-space at 1 MB and doubles it
 * after each scavenge, so a converter loading the engine (a few MB of short-lived objects) went through five
 * scavenges before its first job (`--trace-gc`); at full size it goes through none. The flag is read when an
 * isolate is created, so it reaches the converter threads started after this call and not the running ones;
 * it cannot exceed the thread's own `maxYoungGenerationSizeMb` ceiling, which V8 still enforces.
 */
function raiseSemiSpaceFloor(limits: HostLimits): void {
  const mb = semiSpaceMb(limits.maxYoungMemoryMb);
  if (mb <= semiSpaceFloorMb) return;
  semiSpaceFloorMb = mb;
  v8.setFlagsFromString(`--min-semi-space-size=${mb}`);
}

class ThreadHost implements SandboxHost {
  private readonly worker: Worker;

  constructor(data: SandboxWorkerData, limits: HostLimits, events: HostEvents) {
    raiseSemiSpaceFloor(limits);
    this.worker = new Worker(workerUrl, {
      workerData: data,
      resourceLimits: {
        maxOldGenerationSizeMb: limits.maxMemoryMb,
        maxYoungGenerationSizeMb: limits.maxYoungMemoryMb,
        stackSizeMb: limits.stackSizeMb,
      },
      // The worker's stdout/stderr are the CLI's: keep library chatter (pdf.js, tesseract) out of them.
      stdout: true,
      stderr: true,
    });
    this.worker.stdout.resume();
    this.worker.stderr.resume();
    this.worker.on('message', (message: FromWorker) => events.onMessage(message));
    this.worker.on('error', (error: Error & { code?: string }) =>
      events.onFailure(
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? heapExhausted(limits)
          : new ConversionError('internal', `conversion worker crashed: ${error.message}`),
      ),
    );
    this.worker.on('exit', (code) =>
      events.onFailure(new ConversionError('internal', `conversion worker exited unexpectedly (code ${code})`)),
    );
  }

  post(message: ToWorker, transfer: ArrayBuffer[]): void {
    this.worker.postMessage(message, transfer);
  }
  ref(): void {
    this.worker.ref();
  }
  unref(): void {
    this.worker.unref();
  }
  watch(): void {}
  async terminate(): Promise<void> {
    await this.worker.terminate().catch(() => undefined);
  }
  async close(): Promise<void> {
    if (this.worker.threadId === -1) return; // already exited
    this.worker.ref(); // idle workers are unref'd; keep the process alive until this one has really gone
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    try {
      this.worker.postMessage({ type: 'close' } satisfies ToWorker);
    } catch {
      /* already gone */
    }
    const grace = setTimeout(() => void this.worker.terminate().catch(() => undefined), 2000);
    grace.unref();
    await exited;
    clearTimeout(grace);
  }
}

/** How often a busy child's resident set is read; a bomb can outgrow the ceiling by what it allocates in this time. */
const RSS_POLL_MS = 50;
/** The tail of a child's stderr kept to tell a V8 heap abort from another crash. */
const STDERR_TAIL = 4096;

class ProcessHost implements SandboxHost {
  private readonly child: ChildProcess;
  private readonly limits: HostLimits;
  private readonly events: HostEvents;
  private timer: NodeJS.Timeout | undefined;
  private stderrTail = '';
  /** Why we killed it, when we did: reported instead of the exit itself. */
  private killedFor: ConversionError | undefined;

  constructor(data: SandboxWorkerData, limits: HostLimits, events: HostEvents) {
    this.limits = limits;
    this.events = events;
    this.child = fork(fileURLToPath(workerUrl), [], {
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      execArgv: [
        `--max-old-space-size=${limits.maxMemoryMb}`,
        `--max-semi-space-size=${semiSpaceMb(limits.maxYoungMemoryMb)}`,
        // At full size from the start: no scavenges while the engine loads (see `raiseSemiSpaceFloor`).
        `--min-semi-space-size=${semiSpaceMb(limits.maxYoungMemoryMb)}`,
        `--stack-size=${Math.floor(limits.stackSizeMb * 1024 - 64)}`,
        '--no-warnings',
      ],
      env: { ...process.env, MDRAFT_SANDBOX_DATA: JSON.stringify(data) },
    });
    this.child.stderr?.setEncoding('utf8');
    this.child.stderr?.on('data', (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-STDERR_TAIL);
    });
    this.child.on('message', (message: FromWorker) => events.onMessage(message));
    this.child.on('error', (error) =>
      events.onFailure(new ConversionError('internal', `conversion process failed: ${error.message}`)),
    );
    this.child.on('exit', (code, signal) => {
      this.watch(false);
      if (this.killedFor) return events.onFailure(this.killedFor);
      if (/heap out of memory|Allocation failed/i.test(this.stderrTail)) return events.onFailure(heapExhausted(limits));
      events.onFailure(
        new ConversionError('internal', `conversion process exited unexpectedly (${signal ?? `code ${code}`})`),
      );
    });
  }

  post(message: ToWorker): void {
    // IPC copies the bytes (structured clone over the channel); nothing to transfer.
    this.child.send(message);
  }
  ref(): void {
    this.child.ref();
    this.child.channel?.ref();
  }
  unref(): void {
    this.child.unref();
    this.child.channel?.unref();
  }

  watch(on: boolean): void {
    if (!on || this.child.pid === undefined) {
      clearInterval(this.timer);
      this.timer = undefined;
      return;
    }
    this.timer ??= setInterval(() => this.checkRss(), RSS_POLL_MS);
  }

  private checkRss(): void {
    const rssMb = residentMb(this.child.pid!);
    if (rssMb === undefined || rssMb <= this.limits.maxRssMb) return;
    this.killedFor = new ConversionError(
      'too_large',
      `the document needs more than the ${this.limits.maxRssMb} MB memory ceiling (native and WebAssembly memory included)`,
    );
    this.watch(false);
    this.child.kill('SIGKILL');
  }

  async terminate(): Promise<void> {
    this.watch(false);
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }

  async close(): Promise<void> {
    this.watch(false);
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.ref();
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    try {
      this.child.send({ type: 'close' } satisfies ToWorker);
    } catch {
      /* already gone */
    }
    const grace = setTimeout(() => this.child.kill('SIGKILL'), 2000);
    grace.unref();
    await exited;
    clearTimeout(grace);
  }
}

/**
 * A process's resident set in MB from `/proc/<pid>/status` (`VmRSS`), or undefined where there is no procfs
 * (then only the V8 heap ceiling applies; documented in the README).
 */
function residentMb(pid: number): number | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s*(\d+)\s*kB/.exec(status)?.[1];
    return kb === undefined ? undefined : Number(kb) / 1024;
  } catch {
    return undefined;
  }
}
