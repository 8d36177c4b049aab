/**
 * `mdraft convert`: read each input, convert it in the sandboxed worker pool, write Markdown (or JSON)
 * to stdout or the mirrored output path, report progress and failures on stderr.
 */
import fs from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import type { ConvertArgs } from './args.ts';
import { planTasks, STDIO, type Task } from './files.ts';
import { failureLine, monotonicMs, Progress } from './progress.ts';
import { tesseractOcrFactory } from '../adapters/ocr-factories.ts';
import { canConvertInline, convertInline } from '../engine/inline.ts';
import { createConverterPool, type ConverterPool, type ConverterPoolOptions } from '../engine/sandbox.ts';
import type { ConvertOptions, ConvertResult } from '../engine/types.ts';

export interface Io {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** Failures outside the engine get codes in the same style as `ConversionError` codes. */
class TaskError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

export interface ConvertDeps {
  /** Run this module instead of the engine in the workers (see `ConverterPoolOptions.engineModule`): tests. */
  engineModule?: string | URL;
}

/**
 * Converts every input of `args`. Returns the exit code: 0 all converted, 1 any failed.
 * @throws UsageError when the inputs and `-o` do not fit together (see `planTasks`), before anything runs.
 */
export async function runConvert(args: ConvertArgs, io: Io, deps: ConvertDeps = {}): Promise<number> {
  const plan = planTasks(args.inputs, args.output, args.json || Boolean(args.chunks));
  // stderr reached only when something is written: creating the stream (with the tty or net module behind it)
  // costs start-up time that a quiet run never needs (main.ts creates the standard streams on first use).
  const stderr = { write: (text: string) => io.stderr.write(text) };
  const progress = new Progress({ total: plan.tasks.length, batch: plan.batch, quiet: args.quiet, stream: stderr });
  if (plan.tasks.length > 0) {
    const pool = createConverterPool(converterPoolOptions(args, plan.tasks.length, deps));
    try {
      const queue = [...plan.tasks];
      // One document: converted on this thread when small (`inline.ts`), so no converter thread is started.
      const inline = plan.tasks.length === 1 ? { deps } : undefined;
      const lanes = Array.from({ length: Math.min(args.jobs, queue.length) }, async () => {
        for (let task = queue.shift(); task; task = queue.shift())
          await runTask(task, args, pool, io, progress, inline);
      });
      await Promise.all(lanes);
    } finally {
      await pool.close();
    }
  }
  progress.summary(plan.skipped);
  return progress.failureCount > 0 ? 1 : 0;
}

/**
 * The worker pool for a run: as many converters as `--jobs` allows and there are tasks; tesseract in the OCR
 * languages, the cores divided between the converters (each converter's OCR gets `cores / converters` workers,
 * at least one), so the run holds about one OCR worker per core in all.
 */
export function converterPoolOptions(
  args: ConvertArgs,
  taskCount: number,
  deps: ConvertDeps = {},
  cores: number = availableParallelism(),
): ConverterPoolOptions {
  const size = Math.max(1, Math.min(args.jobs, taskCount));
  const ocrWorkers = Math.max(1, Math.floor(cores / size));
  return {
    size,
    timeoutMs: args.timeoutMs,
    maxMemoryMb: args.maxMemoryMb,
    ocr: args.ocr
      ? tesseractOcrFactory({ ...(args.ocrLanguages ? { languages: args.ocrLanguages } : {}), workers: ocrWorkers })
      : false,
    ...(deps.engineModule ? { engineModule: deps.engineModule } : {}),
  };
}

/** What the engine is asked for one document: the run's options plus the file name as a hint. */
export function convertOptions(args: ConvertArgs, source: string): ConvertOptions {
  return {
    ocr: args.ocr,
    ...(args.pageSeparators ? { pageSeparators: true } : {}),
    ...(args.password !== undefined ? { password: args.password } : {}),
    ...(args.pages ? { pages: args.pages } : {}),
    ...(args.charset !== undefined ? { charset: args.charset } : {}),
    ...(args.comments ? { comments: true } : {}),
    ...(args.trackedChanges ? { trackedChanges: args.trackedChanges } : {}),
    ...(args.ocr && args.ocrLanguages ? { ocrLanguages: args.ocrLanguages } : {}),
    ...(source !== STDIO ? { fileName: path.basename(source) } : {}),
  };
}

async function runTask(
  task: Task,
  args: ConvertArgs,
  pool: ConverterPool,
  io: Io,
  progress: Progress,
  inline?: { deps: ConvertDeps },
): Promise<void> {
  const started = monotonicMs();
  try {
    const bytes = task.source === STDIO ? await readAll(io.stdin) : await readInput(task.source);
    const options = convertOptions(args, task.source);
    const result =
      (inline && (await convertHere(bytes, options, args, task, inline.deps))) ?? (await pool.convert(bytes, options));
    await writeOutput(task.target, await render(result, args), io);
    progress.succeeded(task.label, monotonicMs() - started, result.warnings);
  } catch (error) {
    const e = error as { code?: unknown; message?: unknown };
    const code = typeof e.code === 'string' ? e.code : 'internal';
    progress.failed(task.label, monotonicMs() - started, { code, message: String(e.message ?? error) });
  }
}

/**
 * The single document of a run converted on this thread under the run's budget (`inline.ts`), or undefined
 * when it must go to the sandbox (large, a PDF or image, or nested too deep for this thread's stack). Past the
 * budget the process ends with the line and exit code the sandbox's typed error would have given.
 */
async function convertHere(
  bytes: Uint8Array,
  options: ConvertOptions,
  args: ConvertArgs,
  task: Task,
  deps: ConvertDeps,
): Promise<ConvertResult | undefined> {
  if (!canConvertInline(bytes, args.maxMemoryMb)) return undefined;
  const outcome = await convertInline(bytes, options, {
    timeoutMs: args.timeoutMs,
    maxMemoryMb: args.maxMemoryMb,
    ...(deps.engineModule ? { engineModule: deps.engineModule } : {}),
    failureLine: (error) => failureLine(task.label, error),
    exitCode: 1,
  });
  return 'result' in outcome ? outcome.result : undefined;
}

async function render(result: ConvertResult, args: ConvertArgs): Promise<string> {
  if (args.chunks) {
    // Loaded only for --chunks: the Markdown parser it needs (micromark, ~100 modules) would otherwise cost
    // every conversion its start-up time.
    const { chunkDocument } = await import('../analysis/chunks.ts');
    // Chunk offsets point into `result.markdown` as converted with these same options.
    const chunks = chunkDocument(
      { markdown: result.markdown, ...(result.pages ? { pages: result.pages } : {}) },
      args.chunkTokens !== undefined ? { targetTokens: args.chunkTokens } : {},
    );
    return `${JSON.stringify(chunks, null, 2)}\n`;
  }
  return args.json ? `${JSON.stringify(result, null, 2)}\n` : result.markdown;
}

async function readInput(file: string): Promise<Uint8Array> {
  try {
    const buffer = await fs.readFile(file);
    // A view over the whole buffer, so the pool can transfer it to the worker instead of copying.
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new TaskError('not_found', 'no such file');
    if (code === 'EISDIR') throw new TaskError('unreadable', 'is a directory');
    if (code === 'ERR_FS_FILE_TOO_LARGE' || code === 'ENOMEM')
      throw new TaskError('too_large', 'file too large to read');
    throw new TaskError('unreadable', (error as Error).message);
  }
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return new Uint8Array(Buffer.concat(chunks));
}

async function writeOutput(target: string, text: string, io: Io): Promise<void> {
  try {
    if (target === STDIO) {
      await new Promise<void>((resolve, reject) =>
        io.stdout.write(text, (error) => (error ? reject(error) : resolve())),
      );
      return;
    }
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.writeFile(target, text);
  } catch (error) {
    throw new TaskError('write_failed', `cannot write ${target}: ${(error as Error).message}`);
  }
}
