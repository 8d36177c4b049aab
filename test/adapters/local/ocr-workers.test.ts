/**
 * The OCR worker pool's size: one worker per core by default, configurable, grown only when every worker is
 * busy; and the CLI dividing the cores between its conversion workers so a run holds about one OCR worker per
 * core in all. No tesseract here: the slots start stand-in workers.
 */
import { availableParallelism } from 'node:os';
import { defaultOcrWorkers, WorkerSlots } from '../../../shared/adapters/local/worker-slots.ts';
import { converterPoolOptions } from '../../../shared/cli/convert-command.ts';
import type { ConvertArgs } from '../../../shared/cli/args.ts';

/** Slots whose workers are numbered in start order. */
function numbered(max?: number) {
  let started = 0;
  const slots = new WorkerSlots(async () => ++started, max);
  return { slots, started: () => started };
}

/** Takes a slot and keeps it busy, as a recognition in flight does. */
function hold(slots: WorkerSlots<number>) {
  const slot = slots.acquire();
  slot.busy++;
  return () => slot.busy--;
}

describe('OCR worker slots', () => {
  it('default to one worker per core', () => {
    expect(defaultOcrWorkers()).toBe(Math.max(1, availableParallelism()));
    expect(new WorkerSlots(async () => 0).max).toBe(defaultOcrWorkers());
  });

  it('start a worker only when every existing one is busy, up to the ceiling', async () => {
    const { slots, started } = numbered(3);
    // One page at a time: one worker, reused.
    for (let i = 0; i < 5; i++) hold(slots)();
    expect(started()).toBe(1);
    // Five pages at once on three workers: three started, the other two queue on the least busy.
    const releases = Array.from({ length: 5 }, () => hold(slots));
    expect(started()).toBe(3);
    expect(slots.slots.map((s) => s.busy).sort()).toEqual([1, 2, 2]);
    releases.forEach((release) => release());
    expect(await Promise.all(slots.slots.map((s) => s.worker))).toEqual([1, 2, 3]);
  });

  it('take a configured count, rounded down, never below one', () => {
    expect(numbered(6).slots.max).toBe(6);
    expect(numbered(2.7).slots.max).toBe(2);
    expect(numbered(0).slots.max).toBe(1);
    const { slots, started } = numbered(1);
    const releases = Array.from({ length: 4 }, () => hold(slots));
    expect(started()).toBe(1);
    expect(slots.slots[0].busy).toBe(4);
    releases.forEach((release) => release());
  });
});

describe('the CLI divides the cores between its conversion workers', () => {
  const args: ConvertArgs = {
    inputs: ['scan.pdf'],
    json: false,
    pageSeparators: false,
    ocr: true,
    comments: false,
    timeoutMs: 1000,
    maxMemoryMb: 256,
    jobs: 4,
    quiet: true,
  };
  const ocrWorkers = (options: ReturnType<typeof converterPoolOptions>) =>
    options.ocr ? (options.ocr.options as { workers?: number }).workers : undefined;

  it('one document: its converter may use every core for OCR', () => {
    const options = converterPoolOptions(args, 1, {}, 8);
    expect(options.size).toBe(1);
    expect(ocrWorkers(options)).toBe(8);
  });

  it('a batch: the converters share the cores, at least one OCR worker each', () => {
    expect(converterPoolOptions(args, 10, {}, 8)).toMatchObject({ size: 4 });
    expect(ocrWorkers(converterPoolOptions(args, 10, {}, 8))).toBe(2);
    expect(ocrWorkers(converterPoolOptions(args, 3, {}, 2))).toBe(1);
    expect(ocrWorkers(converterPoolOptions({ ...args, jobs: 1 }, 10, {}, 2))).toBe(2);
  });

  it('keeps the --ocr-lang languages beside the worker count, and no OCR with --no-ocr', () => {
    expect(converterPoolOptions({ ...args, ocrLanguages: ['eng', 'deu'] }, 2, {}, 4).ocr).toMatchObject({
      options: { languages: ['eng', 'deu'], workers: 2 },
    });
    expect(converterPoolOptions({ ...args, ocr: false }, 2, {}, 4).ocr).toBe(false);
  });
});
