/**
 * One document converted on the calling thread, for a process that converts it and exits (the `mdraft` command
 * given one small file): no converter thread is started and no second copy of Node's module loader warmed up.
 * Measured with --cpu-prof on the 2-core benchmark machine: starting even an empty worker thread costs about
 * as much CPU as Node's own start-up (~110 ms when loaded), and loading the engine in it repeats the module
 * loader's own start-up; for a one-page DOCX that was half of the whole process.
 *
 * The document is still never read without a budget. A watchdog thread (a few lines of CommonJS, no engine)
 * holds the wall-clock budget and a resident-set ceiling; past either it writes the failure line the caller
 * prepared (the same text the sandbox's typed error would give) and ends the whole process with the caller's
 * exit code, through the inspector's interrupt, which reaches a thread busy in JavaScript; a thread stuck in
 * native code is killed a second later. Hence only for one-shot processes: the budget ends the process, not a
 * converter. Memory: the V8 heap of this thread is Node's default (checked to exceed the ceiling, else the
 * caller must use the sandbox), so the resident set passes the ceiling first and the watchdog reports
 * `too_large` as the sandbox would.
 *
 * The calling thread's stack is Node's default (~1 MB), a quarter of a sandbox converter's: a conversion that
 * overflows it is reported as `needsSandbox` so the caller converts it in the sandbox, with the same result as if
 * it had gone there first. (HTML 2000 elements deep did, until the HTML converter began flattening subtrees past
 * 512 levels; this stays as the net for any converter recursing deeper than it guards against.)
 */
import v8 from 'node:v8';
import { Worker } from 'node:worker_threads';
import type { ConvertLimits, ConvertOptions, ConvertResult } from './types.ts';
import { asConversionError, ConversionError } from './errors.ts';
import { mayNeedOcr } from './ocr-candidates.ts';

/** Inputs above this size go to the sandbox: their conversion dwarfs a thread's start-up. 2 MiB. */
export const INLINE_MAX_BYTES = 2 * 1024 * 1024;

/**
 * Heap headroom (MB) this thread's V8 limit must have above the memory ceiling for the RSS watch to act first
 * and the watchdog's interrupt to be served in time. Measured (4288 MB heap limit, hostile engine filling the
 * heap): 256 MB of headroom let the heap reach the back-to-back collections V8 runs near its limit before the
 * ceiling fired; the interrupt waited past the kill grace and the process died by SIGKILL (exit 137, not the
 * caller's code). 788 MB and more exited with the caller's code.
 */
const HEAP_HEADROOM_MB = 1024;

/** How often the watchdog reads the resident set, ms. */
const RSS_POLL_MS = 50;

/** How long the watchdog waits for the interrupt to end the process before killing it, ms. */
const KILL_GRACE_MS = 1000;

export interface InlineBudget {
  /** Wall-clock budget, ms, from the moment the engine is loaded (as a sandbox converter's). */
  timeoutMs: number;
  /** Memory ceiling, MB: the resident set may grow by this much over its size at the call. */
  maxMemoryMb: number;
  /** Engine limits (ZIP inflation, pages, cells). */
  limits?: Partial<ConvertLimits>;
  /** A module exporting `convert(bytes, options, deps)` to run instead of the engine (tests). */
  engineModule?: string | URL;
  /**
   * The line written to stderr when the budget ends the process, given the typed error the sandbox would
   * have raised (`timeout` or `too_large`, with its message), and the process's exit code then.
   */
  failureLine(error: ConversionError): string;
  exitCode: number;
}

/**
 * Whether `bytes` may be converted on this thread: small, not a PDF or image (those may need OCR, which runs
 * its own workers, and PDFs parse in pdf.js's thread anyway), and this thread's heap limit is above the
 * memory ceiling by `HEAP_HEADROOM_MB`.
 */
export function canConvertInline(bytes: Uint8Array, maxMemoryMb: number): boolean {
  if (bytes.byteLength > INLINE_MAX_BYTES || mayNeedOcr(bytes)) return false;
  return v8.getHeapStatistics().heap_size_limit / 2 ** 20 >= maxMemoryMb + HEAP_HEADROOM_MB;
}

export type InlineOutcome = { result: ConvertResult } | { needsSandbox: true };

/**
 * Converts `bytes` on this thread under `budget` (see the module comment).
 * @returns the result, or `needsSandbox` when the conversion overflowed this thread's stack (the caller
 *   converts it in the sandbox instead).
 * @throws ConversionError as the sandbox's worker would (`asConversionError` of what the engine threw). Past
 *   the budget it does not return: the process ends with `budget.exitCode` after `budget.failureLine(…)`.
 */
export async function convertInline(
  bytes: Uint8Array,
  options: ConvertOptions,
  budget: InlineBudget,
): Promise<InlineOutcome> {
  const watchdog = startWatchdog(budget);
  // As in the sandbox's worker: rejections nobody awaits (a parser's internal promises on a damaged file) must
  // not end the process; library chatter on the console must not reach the converted output on stdout.
  const ignore = () => {};
  process.on('unhandledRejection', ignore);
  // A converter bug thrown from a callback (a timer, a stream event) reaches no await: in the sandbox it ends the
  // worker and the pool reports it; here it must fail this conversion the same way, not end the process with
  // Node's stack dump instead of the caller's typed line.
  let crashed: (error: ConversionError) => void = () => {};
  const crash = new Promise<never>((_, reject) => (crashed = reject));
  crash.catch(() => {});
  const onUncaught = (error: unknown) =>
    crashed(new ConversionError('internal', `conversion worker crashed: ${(error as Error)?.message ?? error}`));
  process.on('uncaughtException', onUncaught);
  const restoreConsole = muteConsole();
  try {
    const engine = (budget.engineModule ? await import(String(budget.engineModule)) : await import('./engine.ts')) as {
      convert: typeof import('./engine.ts').convert;
    };
    // The clock starts now, as a sandbox converter's starts once it has loaded the engine: loading trusted code
    // on a busy machine must not eat the document's budget.
    watchdog.postMessage(Date.now());
    const result = await Promise.race([
      engine.convert(bytes, options, budget.limits ? { limits: budget.limits } : {}),
      crash,
    ]);
    if (result.warnings.some((w) => overflowed(w.message))) return { needsSandbox: true };
    return { result };
  } catch (error) {
    const typed = asConversionError(error, 'internal');
    if (overflowed(typed.message) || isStackOverflow(error)) return { needsSandbox: true };
    throw typed;
  } finally {
    restoreConsole();
    process.off('unhandledRejection', ignore);
    process.off('uncaughtException', onUncaught);
    watchdog.unref();
    void watchdog.terminate();
  }
}

const overflowed = (message: string) => /Maximum call stack size exceeded/.test(message);

function isStackOverflow(error: unknown): boolean {
  for (let e = error, depth = 0; e && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof RangeError && overflowed(e.message)) return true;
  }
  return false;
}

function muteConsole(): () => void {
  const methods = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;
  const saved = methods.map((m) => console[m]);
  for (const m of methods) console[m] = () => {};
  return () => methods.forEach((m, i) => (console[m] = saved[i]));
}

/**
 * The watchdog thread's code (CommonJS, evaluated: nothing to resolve or load). Ends the process past the
 * deadline or the resident-set ceiling: writes the prepared line, asks the main thread (by the inspector's
 * Runtime.evaluate, served as an interrupt even mid-computation) to exit with the code, and kills the process
 * if it is still there a moment later. fd 2 is closed before exiting: Node prints "Waiting for the debugger to
 * disconnect..." when a process exits with an inspector session attached, and the output must be the same
 * as the sandbox's.
 */
const WATCHDOG = `
const { workerData: d, parentPort } = process.getBuiltinModule('node:worker_threads');
const fs = process.getBuiltinModule('node:fs');
let fired = false;
function fire(line) {
  if (fired) return;
  fired = true;
  clearInterval(poll);
  try { fs.writeSync(2, line); } catch {}
  try {
    const { Session } = process.getBuiltinModule('node:inspector');
    const session = new Session();
    session.connectToMainThread();
    session.post('Runtime.evaluate', {
      expression: "try { process.getBuiltinModule('node:fs').closeSync(2) } catch {} process.reallyExit(" + d.exitCode + ")",
    });
  } catch {}
  setTimeout(() => process.kill(process.pid, 'SIGKILL'), d.killGraceMs);
}
const poll = setInterval(() => {
  if (process.memoryUsage.rss() > d.maxRssBytes) fire(d.tooLargeLine);
}, d.pollMs);
parentPort.once('message', (startedAt) => {
  setTimeout(() => fire(d.timeoutLine), Math.max(0, startedAt + d.timeoutMs - Date.now()));
});
`;

function startWatchdog(budget: InlineBudget): Worker {
  const timeout = new ConversionError('timeout', `conversion did not finish within ${formatSeconds(budget.timeoutMs)}`);
  const tooLarge = new ConversionError(
    'too_large',
    `the document needs more than the ${budget.maxMemoryMb} MB memory ceiling`,
  );
  const worker = new Worker(WATCHDOG, {
    eval: true,
    workerData: {
      timeoutMs: budget.timeoutMs,
      maxRssBytes: process.memoryUsage.rss() + budget.maxMemoryMb * 2 ** 20,
      timeoutLine: budget.failureLine(timeout),
      tooLargeLine: budget.failureLine(tooLarge),
      exitCode: budget.exitCode,
      pollMs: RSS_POLL_MS,
      killGraceMs: KILL_GRACE_MS,
    },
    // None of this process's Node options (--input-type, --import hooks, profilers) apply to these few lines.
    execArgv: [],
    // The thread's stdout and stderr as streams of their own instead of piped into this process's: piping them
    // would create process.stdout and process.stderr here (the tty or net module behind them), start-up time a
    // conversion written to a file never needs. The thread writes its one line with fs.writeSync(2) anyway.
    stdout: true,
    stderr: true,
    // Small: it holds two timers and, once fired, an inspector session.
    resourceLimits: { maxOldGenerationSizeMb: 32, maxYoungGenerationSizeMb: 4 },
  });
  // Referenced while the conversion runs, as the sandbox holds its busy converter: an engine promise that never
  // settles must meet the deadline, not let the process end early with an unsettled await.
  worker.on('error', () => {});
  return worker;
}

/** As the sandbox words its budget (`sandbox.ts`). */
function formatSeconds(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
