/**
 * One job's result: the rendered preview (sanitized, `markdown.ts`) with page separators and each page's
 * warnings, the Markdown source, copy, and downloads of the `.md` and `.json` results (fetched through the
 * API's result redirect, saved from memory), and the job's analyses (`analyses.tsx`), whose quoted passages
 * open the Markdown source at their offsets with the passage highlighted.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { Analyses, type Passage } from './analyses.tsx';
import { ok, type Session, type components } from './api.ts';
import { ApiFailure, jobCodeInWords } from './errors.ts';
import { renderMarkdown, splitPages } from './markdown.ts';
import { ErrorNote, Notice, StatusBadge, download, formatBytes, resultName } from './ui.tsx';

type Job = components['schemas']['Job'];
type Warning = Job['warnings'][number];

/**
 * The result's text: the API gives a short-lived signed URL (`redirect=false`, so the browser reads it instead
 * of following a 302 with the credentials), fetched without credentials (Cloud Storage or the blob server).
 */
async function fetchResult(session: Session, id: string, format: 'md' | 'json'): Promise<string> {
  const link = await ok(
    session.client.GET('/v1/jobs/{id}/result', { params: { path: { id }, query: { format, redirect: 'false' } } }),
  );
  // md and json answer with a link (only `format=chunks` answers with the chunks inline).
  if (!('url' in link)) throw new ApiFailure(502, 'unexpected_response', 'the API sent no download link');
  let res: Response;
  try {
    res = await fetch(link.url, { credentials: 'omit', referrerPolicy: 'no-referrer' });
  } catch (error) {
    throw new ApiFailure(0, 'network', error instanceof Error ? error.message : String(error));
  }
  if (!res.ok)
    throw new ApiFailure(res.status, 'download_failed', `the result could not be downloaded (HTTP ${res.status})`);
  return res.text();
}

export function JobView({ session, id, onClose }: { session: Session; id: string; onClose: () => void }) {
  const [job, setJob] = useState<Job>();
  const [markdown, setMarkdown] = useState<string>();
  const [tab, setTab] = useState<'preview' | 'source'>('preview');
  const [error, setError] = useState<unknown>();
  const [note, setNote] = useState<string>();
  const [passage, setPassage] = useState<Passage>();

  useEffect(() => {
    let live = true;
    setJob(undefined);
    setMarkdown(undefined);
    setError(undefined);
    setPassage(undefined);
    (async () => {
      const { job } = await ok(session.client.GET('/v1/jobs/{id}', { params: { path: { id } } }));
      if (!live) return;
      setJob(job);
      if (job.status === 'succeeded') {
        const md = await fetchResult(session, id, 'md');
        if (live) setMarkdown(md);
      }
    })().catch((e) => live && setError(e));
    return () => {
      live = false;
    };
  }, [session, id]);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(markdown ?? '');
      setNote('Markdown copied to the clipboard.');
    } catch {
      setNote('The browser refused the clipboard: select the source and copy it yourself.');
      setTab('source');
    }
  };
  const save = async (format: 'md' | 'json') => {
    try {
      const text =
        format === 'md' ? (markdown ?? (await fetchResult(session, id, 'md'))) : await fetchResult(session, id, 'json');
      download(
        resultName(job?.filename ?? 'result', format),
        text,
        format === 'md' ? 'text/markdown' : 'application/json',
      );
    } catch (e) {
      setError(e);
    }
  };

  return (
    <section class="job-view" aria-labelledby="job-title">
      <div class="row spread">
        <h2 id="job-title">{job ? job.filename : 'Loading…'}</h2>
        <button type="button" class="secondary" onClick={onClose}>
          Back
        </button>
      </div>
      <ErrorNote error={error} />
      {job ? (
        <p class="meta">
          <StatusBadge status={job.status} /> {formatBytes(job.size)}
          {job.format ? ` · ${job.format}` : ''}
          {job.pages ? ` · ${job.pages} pages` : ''}
          {job.units !== undefined ? ` · ${job.units} units` : ''}
        </p>
      ) : null}
      {job?.status === 'failed' && job.error ? (
        <p class="error" role="alert">
          {jobCodeInWords(job.error.code, job.error.message)} <span class="code">[{job.error.code}]</span>
        </p>
      ) : null}
      {job && job.warnings.length ? <Warnings warnings={job.warnings} /> : null}
      {markdown !== undefined ? (
        <>
          <div class="row toolbar">
            <div role="tablist" aria-label="Result view">
              {(['preview', 'source'] as const).map((name) => (
                <Tab
                  key={name}
                  name={name}
                  selected={tab === name}
                  onSelect={() => {
                    setPassage(undefined);
                    setTab(name);
                  }}
                />
              ))}
            </div>
            <button type="button" onClick={() => void copy()}>
              Copy
            </button>
            <button type="button" onClick={() => void save('md')}>
              Download .md
            </button>
            <button type="button" onClick={() => void save('json')}>
              Download .json
            </button>
          </div>
          {note ? <Notice>{note}</Notice> : null}
          {tab === 'preview' ? (
            <Preview markdown={markdown} warnings={job?.warnings ?? []} />
          ) : passage ? (
            <PassageView markdown={markdown} passage={passage} onClear={() => setPassage(undefined)} />
          ) : (
            <div role="tabpanel" id="panel-source" aria-labelledby="tab-source">
              <label for="md-source" class="visually-hidden">
                Markdown source
              </label>
              <textarea id="md-source" class="source" readOnly value={markdown} rows={24} spellcheck={false} />
            </div>
          )}
        </>
      ) : null}
      {job?.status === 'succeeded' && markdown !== undefined ? (
        <Analyses
          session={session}
          jobId={id}
          filename={job.filename}
          onShowPassage={(p) => {
            setPassage(p);
            setTab('source');
          }}
        />
      ) : null}
    </section>
  );
}

/** The result's views, in tab order, with their tab labels. */
const TAB_LABELS = { preview: 'Preview', source: 'Markdown' } as const;

/**
 * One tab of the result's tablist (WAI-ARIA tabs pattern): `tab-<name>` controls the panel `panel-<name>`,
 * which labels itself by the tab (`aria-labelledby`), so both ids must stay in step.
 */
function Tab({ name, selected, onSelect }: { name: keyof typeof TAB_LABELS; selected: boolean; onSelect: () => void }) {
  return (
    <button
      type="button"
      role="tab"
      id={`tab-${name}`}
      aria-selected={selected}
      aria-controls={`panel-${name}`}
      onClick={onSelect}
    >
      {TAB_LABELS[name]}
    </button>
  );
}

/** A warning as the reader sees it: its message, then its stable code (`types.ts`) in brackets. */
function WarningText({ warning }: { warning: Warning }) {
  return (
    <>
      {warning.message} <span class="code">[{warning.code}]</span>
    </>
  );
}

function Warnings({ warnings }: { warnings: Warning[] }) {
  const general = warnings.filter((w) => w.page === undefined);
  if (!general.length) return null;
  return (
    <div class="warnings" role="note" aria-label="Warnings">
      <h3>Warnings</h3>
      <ul>
        {general.map((w, i) => (
          <li key={i}>
            <WarningText warning={w} />
          </li>
        ))}
      </ul>
    </div>
  );
}

function Preview({ markdown, warnings }: { markdown: string; warnings: Warning[] }) {
  const sections = splitPages(markdown);
  const byPage = new Map<number, Warning[]>();
  for (const w of warnings) if (w.page !== undefined) byPage.set(w.page, [...(byPage.get(w.page) ?? []), w]);
  const shown = new Set(sections.map((s) => s.page));
  // Warnings about pages without a separator (no `pageSeparators` option) are listed first, with their page.
  const loose = [...byPage].filter(([p]) => !shown.has(p));
  return (
    <div role="tabpanel" id="panel-preview" aria-labelledby="tab-preview" class="preview">
      {loose.length ? (
        <div class="warnings" role="note" aria-label="Page warnings">
          <ul>
            {loose.flatMap(([p, ws]) =>
              ws.map((w, i) => (
                <li key={`${p}-${i}`}>
                  Page {p}: <WarningText warning={w} />
                </li>
              )),
            )}
          </ul>
        </div>
      ) : null}
      {sections.map((s, i) => (
        <div key={i} class="page" data-page={s.page ?? ''}>
          {s.page !== undefined ? (
            <div class="page-separator" role="separator" aria-label={`Page ${s.page}`}>
              <span>Page {s.page}</span>
            </div>
          ) : null}
          {s.page !== undefined && byPage.get(s.page)?.length ? (
            <ul class="warnings page-warnings">
              {byPage.get(s.page)!.map((w, j) => (
                <li key={j}>
                  <WarningText warning={w} />
                </li>
              ))}
            </ul>
          ) : null}
          <div class="markdown-body" dangerouslySetInnerHTML={{ __html: renderMarkdown(s.markdown) }} />
        </div>
      ))}
    </div>
  );
}

/**
 * The Markdown source with one passage marked: [start, end) in UTF-16 code units (the analyses' offsets),
 * scrolled into view and focused so the reader (and a screen reader) lands on it. The text is rendered as
 * text; page separators (`<!-- page N -->`) show where each page begins.
 */
function PassageView({ markdown, passage, onClear }: { markdown: string; passage: Passage; onClear: () => void }) {
  const mark = useRef<HTMLElement>(null);
  useEffect(() => {
    mark.current?.scrollIntoView({ block: 'center' });
    mark.current?.focus({ preventScroll: true });
  }, [passage.start, passage.end]);
  const inside = passage.start >= 0 && passage.start <= passage.end && passage.end <= markdown.length;
  return (
    <div role="tabpanel" id="panel-source" aria-labelledby="tab-source" class="passage-panel">
      <div class="row">
        <p class="hint" role="status">
          {inside
            ? `The passage${passage.page !== undefined ? ` on page ${passage.page}` : ''}, characters ${passage.start}–${passage.end} of the Markdown.`
            : 'This passage is not within the Markdown of this result.'}
        </p>
        <button type="button" class="secondary" onClick={onClear}>
          Show the plain source
        </button>
      </div>
      <pre class="source passage-source" aria-label="Markdown source with the passage marked">
        {inside ? markdown.slice(0, passage.start) : markdown}
        {inside ? (
          <mark id="passage-mark" ref={mark} tabIndex={-1}>
            {markdown.slice(passage.start, passage.end)}
          </mark>
        ) : null}
        {inside ? markdown.slice(passage.end) : ''}
      </pre>
    </div>
  );
}
