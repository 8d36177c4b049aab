/**
 * A lazily grown set of OCR workers: one recognition per worker at a time, a new worker only when every
 * existing one is busy and the ceiling allows, else the least busy one queues the job. A caller reading one page
 * at a time therefore pays for one worker; a caller reading many pages at once gets up to `max`.
 *
 * The default ceiling is one worker per core (`os.availableParallelism()`): a recognition keeps one core busy
 * (tesseract.js runs single-threaded WebAssembly), so more workers than cores only add memory (each holds its
 * language model, about 100 MB with eng) and contention, and fewer leave cores idle on a many-page scan.
 */
import os from 'node:os';

/** One worker (started or starting) and the recognitions it has in hand. */
export interface WorkerSlot<W> {
  worker: Promise<W>;
  busy: number;
}

/** The default number of OCR workers: one per core this process may use (at least 1). */
export function defaultOcrWorkers(): number {
  return Math.max(1, os.availableParallelism());
}

/** A worker count as slots use it: fractions round down, at least 1 (1 for a non-finite count). */
export function workerCeiling(max: number): number {
  return Math.max(1, Math.floor(Number.isFinite(max) ? max : 1));
}

/**
 * Slots for workers made by `start`, at most `max` (default `defaultOcrWorkers()`; fractions round down, at
 * least 1). `acquire` picks the slot for the next recognition; the caller increments and decrements `busy`
 * around it.
 */
export class WorkerSlots<W> {
  readonly max: number;
  readonly slots: WorkerSlot<W>[] = [];
  private readonly start: () => Promise<W>;

  constructor(start: () => Promise<W>, max: number = defaultOcrWorkers()) {
    this.start = start;
    this.max = workerCeiling(max);
  }

  /** An idle slot, else a new one while under `max`, else the least busy. */
  acquire(): WorkerSlot<W> {
    const idle = this.slots.find((s) => s.busy === 0);
    if (idle) return idle;
    if (this.slots.length < this.max) {
      const slot: WorkerSlot<W> = { worker: this.start(), busy: 0 };
      this.slots.push(slot);
      return slot;
    }
    return this.slots.reduce((a, b) => (b.busy < a.busy ? b : a));
  }
}
