/**
 * One job's result: the rendered preview (sanitized, `markdown.ts`) with page separators and each page's
 * warnings, the Markdown source, copy, and downloads of the `.md` and `.json` results (fetched through the
 * API's result redirect, saved from memory).
 */
import { useEffect, useState } from 'preact/hooks';
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

  useEffect(() => {
    let live = true;
    setJob(undefined);
    setMarkdown(undefined);
    setError(undefined);
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
              <button
                type="button"
                role="tab"
                id="tab-preview"
                aria-selected={tab === 'preview'}
                aria-controls="panel-preview"
                onClick={() => setTab('preview')}
              >
                Preview
              </button>
              <button
                type="button"
                role="tab"
                id="tab-source"
                aria-selected={tab === 'source'}
                aria-controls="panel-source"
                onClick={() => setTab('source')}
              >
                Markdown
              </button>
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
      {/*
        ANALYSES PANEL (issue 14) — reserved. `POST/GET /v1/jobs/{id}/analyses` are being added to the API by
        another change; their panel goes here, under the result, fed by the same `session.client`.
      */}
      <section class="analyses-placeholder" data-placeholder="analyses" aria-label="Analyses" hidden />
    </section>
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
            {w.message} <span class="code">[{w.code}]</span>
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
                  Page {p}: {w.message} <span class="code">[{w.code}]</span>
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
                  {w.message} <span class="code">[{w.code}]</span>
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
