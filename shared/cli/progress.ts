/**
 * What the user sees on stderr: a line per finished document in a batch, warnings, and a summary with
 * every failure and its error code. stdout stays reserved for converted output.
 */
import type { ConversionWarning } from '../engine/types.ts';

/**
 * A warning's text for the terminal. The engine's messages name their page themselves ("page 3: …", "slide 2
 * could not be read", "OCR of page 4 failed") because the JSON and the API show the message alone; so the page
 * is added here only to a message that does not name it yet, never a second time.
 */
export function warningText(w: ConversionWarning): string {
  if (w.page === undefined) return w.message;
  const named = new RegExp(`\\b(?:page|slide|sheet)s? ${w.page}\\b`, 'i');
  return named.test(w.message) ? w.message : `page ${w.page}: ${w.message}`;
}

/**
 * Milliseconds on a monotonic clock. Not `performance.now()`: the first use of the `performance` global loads
 * Node's perf_hooks modules (~5 M instructions, measured with callgrind), start-up time a one-file conversion pays.
 */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

export interface Failure {
  label: string;
  code: string;
  message: string;
}

export interface Writable {
  write(text: string): unknown;
}

export class Progress {
  private finished = 0;
  private readonly failures: Failure[] = [];
  private readonly started = monotonicMs();
  private readonly total: number;
  private readonly out: Writable;
  private readonly quiet: boolean;
  /** Batches get progress lines and a summary; a single document just its warnings or its error. */
  private readonly batch: boolean;

  constructor(options: { total: number; batch: boolean; quiet: boolean; stream: Writable }) {
    this.total = options.total;
    this.batch = options.batch;
    this.quiet = options.quiet;
    this.out = options.stream;
  }

  succeeded(label: string, ms: number, warnings: ConversionWarning[]): void {
    this.finished++;
    if (this.quiet) return;
    if (this.batch)
      this.out.write(
        `${this.counter()} ${label} ✓ ${formatMs(ms)}${warnings.length ? ` (${plural(warnings.length, 'warning')})` : ''}\n`,
      );
    for (const w of warnings)
      this.out.write(`  warning: ${this.batch ? '' : `${label}: `}[${w.code}] ${warningText(w)}\n`);
  }

  failed(label: string, ms: number, failure: { code: string; message: string }): void {
    this.finished++;
    this.failures.push({ label, ...failure });
    if (this.batch) {
      if (!this.quiet)
        this.out.write(`${this.counter()} ${label} ✗ [${failure.code}] ${oneLine(failure.message)} ${formatMs(ms)}\n`);
    } else {
      this.out.write(failureLine(label, failure));
    }
  }

  /** The closing summary of a batch; nothing for a single document (its outcome is already said). */
  summary(skipped: number): void {
    if (!this.batch) return;
    const ok = this.finished - this.failures.length;
    const seconds = ((monotonicMs() - this.started) / 1000).toFixed(1);
    const extra = [
      this.failures.length ? `${this.failures.length} failed` : '',
      skipped ? `${skipped} skipped (not a document type)` : '',
    ]
      .filter(Boolean)
      .join(', ');
    this.out.write(
      `\nConverted ${ok} of ${plural(this.total, 'document')} in ${seconds} s${extra ? `; ${extra}` : ''}.\n`,
    );
    if (this.failures.length) {
      this.out.write('Failures:\n');
      for (const f of this.failures) this.out.write(`  ${f.label}  [${f.code}] ${oneLine(f.message)}\n`);
    }
  }

  get failureCount(): number {
    return this.failures.length;
  }

  private counter(): string {
    const width = String(this.total).length;
    return `[${String(this.finished).padStart(width)}/${this.total}]`;
  }
}

/** How a single document's failure reads on stderr: `mdraft: <label>: [<code>] <message>`. */
export function failureLine(label: string, failure: { code: string; message: string }): string {
  return `mdraft: ${label}: [${failure.code}] ${oneLine(failure.message)}\n`;
}

function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 300 ? `${flat.slice(0, 299)}…` : flat;
}
