/**
 * The malware scan every upload gets after finalization and before conversion (`runConversion` calls it on
 * the bytes it is about to convert, so nothing is converted unscanned). Infected: the object is deleted
 * first (it must never be read again), then the job fails permanently with `malware_detected`. A scanner
 * that cannot answer is a transient error: the delivery is retried, the bytes are never converted unscanned.
 * No scanner configured: nothing happens (the composition root logged that scanning is off).
 */
import { ScannerUnavailableError, type Job, type JobError } from '../ports.ts';
import type { PipelineDeps } from './deps.ts';
import { logs } from '../logs.ts';

export type ScanOutcome = { ok: true } | { ok: false; error: JobError; transient: boolean };

export async function scanBeforeConversion(
  deps: PipelineDeps,
  job: Pick<Job, 'id' | 'inputObject'>,
  bytes: Uint8Array,
  requestId?: string,
): Promise<ScanOutcome> {
  const scanner = deps.scanner;
  if (!scanner) return { ok: true };
  const started = performance.now();
  let verdict;
  try {
    verdict = await scanner.scan(bytes);
  } catch (error) {
    if (!(error instanceof ScannerUnavailableError)) throw error;
    return { ok: false, transient: true, error: { code: 'scanner_unavailable', message: error.message } };
  }
  logs.uploadScanned({
    requestId,
    jobId: job.id,
    scanner: scanner.kind,
    verdict: verdict.status,
    ...(verdict.status === 'infected' ? { signature: verdict.signature } : {}),
    ms: Math.round(performance.now() - started),
  });
  if (verdict.status === 'clean') return { ok: true };
  await deps.uploads.delete(job.inputObject);
  return {
    ok: false,
    transient: false,
    error: { code: 'malware_detected', message: `the upload contains malware (${verdict.signature})` },
  };
}
