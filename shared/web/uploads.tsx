/**
 * Drop or pick many files. Each: `POST /v1/jobs` (the signed upload URL) → PUT straight to that URL with a
 * progress bar (`upload.ts`) → live status by polling `GET /v1/jobs/{id}` until a terminal state. Large files
 * (or all, when asked) are created with `confirm: true`: once uploaded and counted they wait in
 * `awaiting_confirmation`, showing their units and price, until the user converts or cancels them.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ok, type Session, type components } from './api.ts';
import { ApiFailure, jobCodeInWords } from './errors.ts';
import { contentTypeOf, uploadTo } from './upload.ts';
import { ErrorNote, StatusBadge, formatBytes, formatCents } from './ui.tsx';

type Job = components['schemas']['Job'];

/** Files above this size are converted only after the user saw the estimate (bytes). */
export const CONFIRM_ABOVE_BYTES = 10 * 1024 * 1024;

const TERMINAL = new Set(['succeeded', 'failed', 'expired', 'awaiting_confirmation']);

interface Item {
  key: number;
  name: string;
  size: number;
  progress: number;
  phase: 'creating' | 'waiting' | 'uploading' | 'uploaded' | 'error';
  job?: Job;
  error?: unknown;
  pollEvery: number;
  nextPoll: number;
}

let nextKey = 1;

const PHASE_WORDS: Record<Item['phase'], string> = {
  creating: 'preparing',
  waiting: 'waiting for a free slot',
  uploading: 'uploading',
  uploaded: 'uploaded',
  error: 'not sent',
};

/** How long a file waits for a free slot (the plan's `concurrentJobs`, or the rate limit) before giving up. */
const SLOT_WAIT_MS = 10 * 60_000;

/**
 * Runs `create`, retrying while the API answers `too_many_jobs` (the plan's unfinished jobs at once) or
 * `rate_limited`, every 2 s (or `Retry-After`'s worth) for up to `SLOT_WAIT_MS`: dropping more files than the
 * plan converts at once queues them here instead of failing them.
 */
async function withSlot<T>(create: () => Promise<T>, onWait: () => void): Promise<T> {
  const end = Date.now() + SLOT_WAIT_MS;
  for (;;) {
    try {
      return await create();
    } catch (error) {
      const busy = error instanceof ApiFailure && (error.code === 'too_many_jobs' || error.code === 'rate_limited');
      if (!busy || Date.now() > end) throw error;
      onWait();
      await new Promise((r) => setTimeout(r, 1500 + Math.random() * 1000));
    }
  }
}

export function Uploads({
  session,
  onOpen,
  onChanged,
}: {
  session: Session;
  onOpen: (id: string) => void;
  onChanged: () => void;
}) {
  const [items, setItems] = useState<Item[]>([]);
  const [askFirst, setAskFirst] = useState(false);
  const [pageMarks, setPageMarks] = useState(false);
  const [dragging, setDragging] = useState(false);
  const itemsRef = useRef(items);
  itemsRef.current = items;

  const patch = (key: number, change: Partial<Item>) =>
    setItems((all) => all.map((it) => (it.key === key ? { ...it, ...change } : it)));

  const start = async (file: File) => {
    const key = nextKey++;
    setItems((all) => [
      { key, name: file.name, size: file.size, progress: 0, phase: 'creating', pollEvery: 500, nextPoll: 0 },
      ...all,
    ]);
    try {
      const confirm = askFirst || file.size > CONFIRM_ABOVE_BYTES;
      const body = {
        filename: file.name,
        contentType: contentTypeOf(file),
        size: file.size,
        ...(confirm ? { confirm } : {}),
        ...(pageMarks ? { options: { pageSeparators: true } } : {}),
      };
      const created = await withSlot(
        () => ok(session.client.POST('/v1/jobs', { body })),
        () => patch(key, { phase: 'waiting' }),
      );
      patch(key, { job: created.job, phase: 'uploading' });
      await uploadTo(created.upload, file, (fraction) => patch(key, { progress: fraction }));
      patch(key, { phase: 'uploaded', progress: 1, nextPoll: 0 });
      onChanged();
    } catch (error) {
      patch(key, { phase: 'error', error });
    }
  };

  const addFiles = (files: FileList | null) => {
    for (const f of Array.from(files ?? [])) void start(f);
  };

  // One timer polls every unfinished job, each on its own schedule: 0.5 s, growing to 3 s — or to 1.5 s per
  // job being polled, so many jobs together stay near 40 requests a minute (the free plan allows 60).
  useEffect(() => {
    const timer = setInterval(() => {
      const now = Date.now();
      const polled = itemsRef.current.filter((it) => it.phase === 'uploaded' && it.job && !TERMINAL.has(it.job.status));
      const cap = Math.max(3000, 1500 * polled.length);
      for (const it of polled) {
        if (!it.job || it.nextPoll > now) continue;
        const every = Math.min(it.pollEvery * 1.5, cap);
        patch(it.key, { nextPoll: now + 60_000 });
        ok(session.client.GET('/v1/jobs/{id}', { params: { path: { id: it.job.id } } })).then(
          ({ job }) => {
            patch(it.key, { job, error: undefined, pollEvery: every, nextPoll: Date.now() + every });
            if (TERMINAL.has(job.status)) onChanged();
          },
          // Over the rate limit: wait a good while; other errors: try again later, showing the error meanwhile.
          (error) =>
            patch(it.key, {
              error,
              pollEvery: every,
              nextPoll:
                Date.now() + (error instanceof ApiFailure && error.code === 'rate_limited' ? 15_000 : every * 2),
            }),
        );
      }
    }, 250);
    return () => clearInterval(timer);
  }, [session]);

  const confirmJob = async (it: Item) => {
    try {
      const { job } = await ok(session.client.POST('/v1/jobs/{id}/confirm', { params: { path: { id: it.job!.id } } }));
      patch(it.key, { job, error: undefined, pollEvery: 500, nextPoll: 0 });
    } catch (error) {
      patch(it.key, { error });
    }
  };
  const cancelJob = async (it: Item) => {
    try {
      await ok(session.client.DELETE('/v1/jobs/{id}', { params: { path: { id: it.job!.id } } }));
      setItems((all) => all.filter((x) => x.key !== it.key));
      onChanged();
    } catch (error) {
      patch(it.key, { error });
    }
  };

  return (
    <section aria-labelledby="upload-title" class="uploads">
      <h2 id="upload-title">Convert documents</h2>
      <div
        class={`dropzone${dragging ? ' dragging' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => {
          e.preventDefault();
          setDragging(false);
          addFiles(e.dataTransfer?.files ?? null);
        }}
      >
        <p>Drop PDF, Word, PowerPoint, Excel, HTML, CSV, EPUB, image or text files here, or</p>
        <label for="file-input" class="button">
          Choose files
        </label>
        <input
          id="file-input"
          class="visually-hidden-focusable"
          type="file"
          multiple
          onChange={(e) => {
            addFiles(e.currentTarget.files);
            e.currentTarget.value = '';
          }}
        />
      </div>
      <label class="check">
        <input type="checkbox" checked={askFirst} onChange={(e) => setAskFirst(e.currentTarget.checked)} /> Show the
        estimate and ask before converting (always for files over {formatBytes(CONFIRM_ABOVE_BYTES)})
      </label>
      <label class="check">
        <input type="checkbox" checked={pageMarks} onChange={(e) => setPageMarks(e.currentTarget.checked)} /> Mark where
        each page or slide begins (PDF, PowerPoint)
      </label>
      {items.length ? (
        <ul class="upload-list" aria-live="polite">
          {items.map((it) => (
            <UploadRow key={it.key} item={it} onOpen={onOpen} onConfirm={confirmJob} onCancel={cancelJob} />
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function UploadRow({
  item,
  onOpen,
  onConfirm,
  onCancel,
}: {
  item: Item;
  onOpen: (id: string) => void;
  onConfirm: (it: Item) => void;
  onCancel: (it: Item) => void;
}) {
  const job = item.job;
  const pct = Math.round(item.progress * 100);
  return (
    <li class="upload" data-filename={item.name} data-job-id={job?.id ?? ''}>
      <div class="upload-head">
        <strong class="name">{item.name}</strong> <span class="size">{formatBytes(item.size)}</span>{' '}
        {item.phase === 'error' ? (
          <span class="status status-failed">not sent</span>
        ) : job && item.phase === 'uploaded' ? (
          <StatusBadge status={job.status} />
        ) : (
          <span class="status">{PHASE_WORDS[item.phase]}</span>
        )}
      </div>
      <progress max={100} value={pct} aria-label={`upload of ${item.name}`}>
        {pct}%
      </progress>
      {job?.status === 'failed' && job.error ? (
        <p class="error" role="alert">
          {jobCodeInWords(job.error.code, job.error.message)} <span class="code">[{job.error.code}]</span>
        </p>
      ) : null}
      {job?.status === 'awaiting_confirmation' ? (
        <div class="confirm">
          <p>
            {job.pages ? `${job.pages} pages, ` : ''}
            {job.units ?? '?'} units
            {job.priceCents !== undefined ? `, ${formatCents(job.priceCents)}` : ''}.
          </p>
          <button type="button" onClick={() => onConfirm(item)}>
            Convert {item.name}
          </button>{' '}
          <button type="button" class="secondary" onClick={() => onCancel(item)}>
            Cancel
          </button>
        </div>
      ) : null}
      {job?.status === 'succeeded' ? (
        <button type="button" onClick={() => onOpen(job.id)}>
          Open {item.name}
        </button>
      ) : null}
      <ErrorNote error={item.error} />
    </li>
  );
}
