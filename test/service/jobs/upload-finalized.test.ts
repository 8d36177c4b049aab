import { createHash } from 'node:crypto';
import { handleUploadFinalized, type FinalizedObject } from '../../../shared/service/jobs/upload-finalized.ts';
import { makeHarness, T0, type Harness } from './harness.ts';
import { PDFDocument } from 'pdf-lib';
import { COUNT_BUDGET_MS } from '../../../shared/service/accounts/count-units.ts';
import { unitsBySize } from '../../../shared/service/accounts/billable-units.ts';
import { ConversionError } from '../../../shared/engine/errors.ts';

let h: Harness;
beforeEach(() => {
  h = makeHarness();
});
afterEach(() => h.dispose());

const text = Buffer.from('Plain notes.\n\nA second paragraph.\n');
const event = (h: Harness, name: string, generation: string, size: number): FinalizedObject => ({
  bucket: h.deps.uploads.bucket,
  name,
  generation,
  size,
  eventTime: T0,
  eventId: 'e1',
});

test('a good upload queues the job and enqueues one task named sha256(bucket/name#generation)', async () => {
  const { jobId, name, generation } = await h.uploaded(text);
  expect(await handleUploadFinalized(h.deps, event(h, name, generation, text.length))).toBe('queued');
  const job = await h.store.getJob(jobId);
  expect(job).toMatchObject({
    status: 'queued',
    format: 'text',
    eventKey: `${h.deps.uploads.bucket}/${name}#${generation}`,
  });
  const taskName = createHash('sha256').update(job!.eventKey!).digest('hex');
  expect([...h.queue.tasks.keys()]).toEqual([taskName]);
  expect(h.queue.tasks.get(taskName)).toMatchObject({ url: h.deps.config.workerUrl, body: { jobId } });
});

test('the same finalize event twice (in turn and at once) queues once and leaves one task', async () => {
  const { jobId, name, generation } = await h.uploaded(text);
  const e = event(h, name, generation, text.length);
  const outcomes = await Promise.all([handleUploadFinalized(h.deps, e), handleUploadFinalized(h.deps, e)]);
  outcomes.push(await handleUploadFinalized(h.deps, e));
  expect(outcomes.filter((o) => o === 'queued')).toHaveLength(1);
  expect(outcomes.filter((o) => o === 'requeued')).toHaveLength(2);
  expect(h.queue.tasks.size).toBe(1);
  expect((await h.store.getJob(jobId))?.status).toBe('queued');
});

test('a crash between queued and the enqueue is repaired by the redelivered event', async () => {
  const { jobId, name, generation } = await h.uploaded(text);
  const e = event(h, name, generation, text.length);
  h.queue.failNext = 1;
  await expect(handleUploadFinalized(h.deps, e)).rejects.toThrow(/queue unavailable/);
  expect((await h.store.getJob(jobId))?.status).toBe('queued');
  expect(h.queue.tasks.size).toBe(0);
  expect(await handleUploadFinalized(h.deps, e)).toBe('requeued');
  expect(h.queue.tasks.size).toBe(1);
});

test('bytes of another type than declared fail the job with type_mismatch and remove the object', async () => {
  const html = Buffer.from('<!doctype html><html><body><p>hi</p></body></html>');
  const { jobId, name, generation } = await h.uploaded(html, { filename: 'x.pdf', contentType: 'application/pdf' });
  expect(await handleUploadFinalized(h.deps, event(h, name, generation, html.length))).toBe('rejected');
  expect(await h.store.getJob(jobId)).toMatchObject({ status: 'failed', error: { code: 'type_mismatch' } });
  expect(await h.deps.uploads.stat(name)).toBeUndefined();
  expect(h.queue.tasks.size).toBe(0);
});

test('unrecognisable bytes fail with the detector code; a size other than declared fails with size_mismatch', async () => {
  const binary = Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 37) % 256));
  const a = await h.uploaded(binary, { contentType: 'text/plain' });
  expect(await handleUploadFinalized(h.deps, event(h, a.name, a.generation, binary.length))).toBe('rejected');
  expect(await h.store.getJob(a.jobId)).toMatchObject({ status: 'failed', error: { code: 'unsupported_format' } });

  const b = await h.uploaded(text, { size: text.length + 5 });
  expect(await handleUploadFinalized(h.deps, event(h, b.name, b.generation, text.length))).toBe('rejected');
  expect(await h.store.getJob(b.jobId)).toMatchObject({ status: 'failed', error: { code: 'size_mismatch' } });
  expect(await h.deps.uploads.stat(b.name)).toBeUndefined();
});

test('stale events are harmless: finished job, deleted job (orphan removed), other bucket, other generation, too old', async () => {
  const { jobId, name, generation } = await h.uploaded(text);
  expect(
    await handleUploadFinalized(h.deps, { ...event(h, name, generation, text.length), bucket: 'someone-else' }),
  ).toBe('ignored');
  expect(await handleUploadFinalized(h.deps, event(h, name, '1', text.length))).toBe('ignored');
  h.clock.now = T0 + h.deps.config.eventMaxAgeMs + 1;
  expect(await handleUploadFinalized(h.deps, event(h, name, generation, text.length))).toBe('ignored');
  expect((await h.store.getJob(jobId))?.status).toBe('awaiting_upload');
  h.clock.now = T0;
  expect(await handleUploadFinalized(h.deps, event(h, name, generation, text.length))).toBe('queued');
  await h.store.fail(jobId, { error: { code: 'x', message: 'y' }, now: T0 });
  expect(await handleUploadFinalized(h.deps, event(h, name, generation, text.length))).toBe('ignored');

  const orphan = await h.uploaded(text);
  await h.store.deleteJob(orphan.jobId);
  expect(await handleUploadFinalized(h.deps, event(h, orphan.name, orphan.generation, text.length))).toBe('ignored');
  expect(await h.deps.uploads.stat(orphan.name)).toBeUndefined();
  expect(await handleUploadFinalized(h.deps, event(h, 'not/ours', '1', 3))).toBe('ignored');
  expect(h.queue.tasks.size).toBe(1);
});

describe('units of a paged upload are counted by the sandbox counter in deps', () => {
  async function pdfUpload(): Promise<{ jobId: string; e: FinalizedObject }> {
    const doc = await PDFDocument.create();
    doc.addPage([200, 200]).drawText('one page', { x: 10, y: 100 });
    const bytes = await doc.save();
    const { jobId, name, generation } = await h.uploaded(bytes, { filename: 'a.pdf', contentType: 'application/pdf' });
    return { jobId, e: event(h, name, generation, bytes.length) };
  }

  test("the counter's pages are reserved, and over the plan's pages per document the job fails", async () => {
    const seen: Array<{ format: string; timeoutMs: number }> = [];
    h.deps.countPages = async (_bytes, format, { timeoutMs }) => {
      seen.push({ format, timeoutMs });
      return seen.length === 1 ? 7 : 100_000;
    };
    const first = await pdfUpload();
    expect(await handleUploadFinalized(h.deps, first.e)).toBe('queued');
    expect(await h.store.getJob(first.jobId)).toMatchObject({ units: 7, charge: 'reserved' });
    expect(seen).toEqual([{ format: 'pdf', timeoutMs: COUNT_BUDGET_MS }]);
    const second = await pdfUpload();
    expect(await handleUploadFinalized(h.deps, second.e)).toBe('rejected');
    expect(await h.store.getJob(second.jobId)).toMatchObject({ status: 'failed', error: { code: 'too_many_pages' } });
  });

  test('a counter that fails (timeout in the sandbox) leaves the size rule', async () => {
    h.deps.countPages = async () => {
      throw new ConversionError('timeout', 'page count did not finish within 5 s');
    };
    const { jobId, e } = await pdfUpload();
    expect(await handleUploadFinalized(h.deps, e)).toBe('queued');
    expect(await h.store.getJob(jobId)).toMatchObject({ units: unitsBySize(e.size), charge: 'reserved' });
  });
});
