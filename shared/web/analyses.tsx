/**
 * The analyses of one succeeded job (issue 14): create one of each kind (requirements matrix, ask with a
 * question, summary, outline), follow its status by polling `GET /v1/jobs/{id}/analyses/{analysisId}` until
 * it ends, list the job's analyses (newest first, `GET /v1/jobs/{id}/analyses`), and show a result:
 * - requirements: an accessible table (verbatim text, section, page, level, party, dates and quantities,
 *   category) and a CSV download (the API's `format=csv`, fetched with the page's credentials, saved from
 *   memory: no credential ever goes into a URL);
 * - ask, summary, outline: lists of statements, each with its quoted passages (page and section).
 * Every passage links to its place in the job's Markdown (`onShowPassage`: offsets are UTF-16 code units into
 * the Markdown, the ones `shared/analysis/schema.ts` defines). Analysis output is document text and model
 * output: it is rendered as text nodes only, never as HTML.
 */
import { useEffect, useState } from 'preact/hooks';
import { ok, type Session, type components } from './api.ts';
import { jobCodeInWords } from './errors.ts';
import { ErrorNote, Notice, download, resultName } from './ui.tsx';

type Analysis = components['schemas']['Analysis'];
type Kind = Analysis['kind'];
type Result = NonNullable<Analysis['result']>;
type Quote = Extract<Result, { kind: 'ask' }>['claims'][number]['quotes'][number];
type Claim = Extract<Result, { kind: 'ask' }>['claims'][number];
type Section = Quote['section'];

/** A place in the job's Markdown: [start, end) in UTF-16 code units, with its page when known. */
export interface Passage {
  start: number;
  end: number;
  page?: number;
}

const KIND_WORDS: Record<Kind, string> = {
  requirements: 'Requirements matrix',
  ask: 'Question',
  summary: 'Summary',
  outline: 'Outline',
};

const STATUS_WORDS: Record<Analysis['status'], string> = {
  queued: 'queued',
  running: 'running',
  succeeded: 'done',
  failed: 'failed',
};

const LEVEL_WORDS: Record<string, string> = {
  mandatory: 'mandatory',
  prohibited: 'prohibited',
  recommended: 'recommended',
  not_recommended: 'not recommended',
  permitted: 'permitted',
  declared: 'declared',
};

/** Analysis failure codes in words (the job codes cover the shared ones: attempts, lost worker, internal). */
const ANALYSIS_CODES: Record<string, string> = {
  result_missing: 'The converted document is gone, so it could not be analysed.',
  model_output_invalid: 'The model answered in a shape MDraft does not accept.',
};

/** How often a queued or running analysis is asked for (ms). */
const POLL_MS = 700;

const terminal = (a: Analysis) => a.status === 'succeeded' || a.status === 'failed';

export function Analyses({
  session,
  jobId,
  filename,
  onShowPassage,
}: {
  session: Session;
  jobId: string;
  filename: string;
  onShowPassage: (p: Passage) => void;
}) {
  const [list, setList] = useState<Analysis[]>([]);
  const [cursor, setCursor] = useState<string>();
  const [selected, setSelected] = useState<string>();
  const [question, setQuestion] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const merge = (a: Analysis) =>
    setList((prev) => (prev.some((x) => x.id === a.id) ? prev.map((x) => (x.id === a.id ? a : x)) : [a, ...prev]));

  const load = async (after?: string) => {
    try {
      const page = await ok(
        session.client.GET('/v1/jobs/{id}/analyses', {
          params: { path: { id: jobId }, query: { limit: 20, ...(after ? { cursor: after } : {}) } },
        }),
      );
      setList((prev) => (after ? [...prev, ...page.analyses] : page.analyses));
      setCursor(page.nextCursor);
    } catch (e) {
      setError(e);
    }
  };
  useEffect(() => {
    setList([]);
    setSelected(undefined);
    void load();
  }, [session, jobId]);

  // Live status: while an analysis is queued or running, ask for it again; the answer of a succeeded one
  // carries its result. One round at a time (the next starts after this one answered).
  const pending = list.filter((a) => !terminal(a)).map((a) => a.id);
  const pendingKey = pending.join(',');
  useEffect(() => {
    if (!pending.length) return;
    let live = true;
    const timer = setTimeout(() => {
      void Promise.all(
        pending.map((analysisId) =>
          ok(
            session.client.GET('/v1/jobs/{id}/analyses/{analysisId}', { params: { path: { id: jobId, analysisId } } }),
          ),
        ),
      ).then(
        (answers) => live && answers.forEach(({ analysis }) => merge(analysis)),
        (e) => live && setError(e),
      );
    }, POLL_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [session, jobId, pendingKey, list]);

  // A listed analysis has no result: fetch it once when a succeeded one is opened.
  const current = list.find((a) => a.id === selected);
  useEffect(() => {
    if (!current || current.status !== 'succeeded' || current.result) return;
    let live = true;
    ok(
      session.client.GET('/v1/jobs/{id}/analyses/{analysisId}', {
        params: { path: { id: jobId, analysisId: current.id } },
      }),
    ).then(
      ({ analysis }) => live && merge(analysis),
      (e) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [session, jobId, current?.id, current?.status, Boolean(current?.result)]);

  const create = async (kind: Kind) => {
    setError(undefined);
    const body = kind === 'ask' ? { kind, question: question.trim() } : { kind };
    setBusy(true);
    try {
      const { analysis } = await ok(
        session.client.POST('/v1/jobs/{id}/analyses', { params: { path: { id: jobId } }, body }),
      );
      merge(analysis);
      setSelected(analysis.id);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const saveCsv = async (a: Analysis) => {
    try {
      const text = await ok(
        session.client.GET('/v1/jobs/{id}/analyses/{analysisId}/result', {
          params: { path: { id: jobId, analysisId: a.id }, query: { format: 'csv' } },
          parseAs: 'text',
        }),
      );
      download(resultName(filename, 'md').replace(/\.md$/, '-requirements.csv'), text as unknown as string, 'text/csv');
    } catch (e) {
      setError(e);
    }
  };

  return (
    <section class="analyses" aria-labelledby="analyses-title">
      <h3 id="analyses-title">Analyses</h3>
      <p class="hint">
        Pull the obligations out as a requirements matrix, ask a question answered only from the document, or get a
        summary or an outline. Each one counts against your plan's AI allowance.
      </p>
      <div class="row">
        <button type="button" disabled={busy} onClick={() => void create('requirements')}>
          Requirements matrix
        </button>
        <button type="button" disabled={busy} onClick={() => void create('summary')}>
          Summary
        </button>
        <button type="button" disabled={busy} onClick={() => void create('outline')}>
          Outline
        </button>
      </div>
      <form
        class="ask-form"
        onSubmit={(e) => {
          e.preventDefault();
          void create('ask');
        }}
      >
        <label for="ask-question">Ask a question about this document</label>
        <div class="row">
          <input
            id="ask-question"
            type="text"
            maxLength={1000}
            required
            value={question}
            onInput={(e) => setQuestion(e.currentTarget.value)}
          />
          <button type="submit" disabled={busy}>
            Ask
          </button>
        </div>
      </form>
      <ErrorNote error={error} />
      {list.length ? (
        <ul class="analysis-list" aria-label="Analyses of this job">
          {list.map((a) => (
            <li key={a.id} class="analysis-row" data-analysis-id={a.id} data-kind={a.kind}>
              <button
                type="button"
                class={selected === a.id ? '' : 'secondary'}
                aria-pressed={selected === a.id}
                onClick={() => setSelected(a.id)}
              >
                {KIND_WORDS[a.kind]}
                {a.question ? `: ${a.question}` : ''}
              </button>{' '}
              <span class={`status status-${a.status}`} data-status={a.status}>
                {STATUS_WORDS[a.status]}
              </span>{' '}
              <time dateTime={a.createdAt}>{new Date(a.createdAt).toLocaleString()}</time>
            </li>
          ))}
        </ul>
      ) : (
        <p>No analyses of this document yet.</p>
      )}
      {cursor ? (
        <button type="button" class="secondary" onClick={() => void load(cursor)}>
          Load older analyses
        </button>
      ) : null}
      {current ? (
        <AnalysisDetail analysis={current} onShowPassage={onShowPassage} onCsv={() => void saveCsv(current)} />
      ) : null}
    </section>
  );
}

function AnalysisDetail({
  analysis,
  onShowPassage,
  onCsv,
}: {
  analysis: Analysis;
  onShowPassage: (p: Passage) => void;
  onCsv: () => void;
}) {
  const r = analysis.result;
  return (
    <article class="analysis" aria-labelledby="analysis-title" data-analysis-id={analysis.id}>
      <h4 id="analysis-title">
        {KIND_WORDS[analysis.kind]}
        {analysis.question ? `: ${analysis.question}` : ''}
      </h4>
      <p class="meta">
        <span class={`status status-${analysis.status}`} data-status={analysis.status}>
          {STATUS_WORDS[analysis.status]}
        </span>{' '}
        {analysis.engine === 'gemini' ? 'Gemini' : 'offline engine'}
        {analysis.usage
          ? ` · ${analysis.usage.inputTokens + analysis.usage.outputTokens} tokens · $${analysis.usage.costUsd.toFixed(4)}`
          : ''}
        {analysis.droppedClaims ? ` · ${analysis.droppedClaims} unsupported claims dropped` : ''}
      </p>
      {analysis.status === 'failed' && analysis.error ? (
        <p class="error" role="alert">
          {ANALYSIS_CODES[analysis.error.code] ?? jobCodeInWords(analysis.error.code, analysis.error.message)}{' '}
          <span class="code">[{analysis.error.code}]</span>
        </p>
      ) : null}
      {!terminal(analysis) ? <Notice>The analysis is {STATUS_WORDS[analysis.status]}…</Notice> : null}
      {analysis.warnings.length ? (
        <div class="warnings" role="note" aria-label="Analysis warnings">
          <ul>
            {analysis.warnings.map((w, i) => (
              <li key={i}>
                {w.message} <span class="code">[{w.code}]</span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {r?.kind === 'requirements' ? (
        <Requirements result={r} onShowPassage={onShowPassage} onCsv={onCsv} />
      ) : r?.kind === 'ask' ? (
        <Answer result={r} onShowPassage={onShowPassage} />
      ) : r?.kind === 'summary' ? (
        <Summary result={r} onShowPassage={onShowPassage} />
      ) : r?.kind === 'outline' ? (
        <Outline result={r} onShowPassage={onShowPassage} />
      ) : analysis.status === 'succeeded' ? (
        <p role="status">Loading the result…</p>
      ) : null}
    </article>
  );
}

function sectionWords(s: Section): string {
  if (!s) return '';
  return s.number && !s.heading.startsWith(s.number) ? `${s.number} ${s.heading}` : s.heading;
}

/** Where a passage stands, in words: "page 3 · 2. Submission". */
function placeWords(page: number | undefined, section: Section): string {
  return [page !== undefined ? `page ${page}` : '', sectionWords(section)].filter(Boolean).join(' · ');
}

/** A link to the passage's place in the Markdown view (an in-page link, so it works by keyboard). */
function PassageLink({ passage, label, onShow }: { passage: Passage; label: string; onShow: (p: Passage) => void }) {
  return (
    <a
      href={`#md-${passage.start}-${passage.end}`}
      class="passage-link"
      data-start={passage.start}
      data-end={passage.end}
      onClick={(e) => {
        e.preventDefault();
        onShow(passage);
      }}
    >
      {label}
    </a>
  );
}

function Quotes({ quotes, onShow }: { quotes: Quote[]; onShow: (p: Passage) => void }) {
  return (
    <ul class="quotes">
      {quotes.map((q, i) => {
        const where = placeWords(q.page, q.section);
        return (
          <li key={i} class="quote">
            <blockquote>{q.text}</blockquote>
            <p class="where">
              {where ? <span>{where}</span> : null}{' '}
              <PassageLink
                passage={{ start: q.start, end: q.end, ...(q.page !== undefined ? { page: q.page } : {}) }}
                label={`Show in the Markdown${where ? ` (${where})` : ''}`}
                onShow={onShow}
              />
            </p>
          </li>
        );
      })}
    </ul>
  );
}

function Claims({ claims, onShow }: { claims: Claim[]; onShow: (p: Passage) => void }) {
  return (
    <ol class="claims">
      {claims.map((c, i) => (
        <li key={i} class="claim">
          <p>{c.text}</p>
          <Quotes quotes={c.quotes} onShow={onShow} />
        </li>
      ))}
    </ol>
  );
}

function Requirements({
  result,
  onShowPassage,
  onCsv,
}: {
  result: Extract<Result, { kind: 'requirements' }>;
  onShowPassage: (p: Passage) => void;
  onCsv: () => void;
}) {
  return (
    <>
      <div class="row toolbar">
        <button type="button" onClick={onCsv}>
          Download CSV
        </button>
        <span class="hint">{result.requirements.length} requirements</span>
      </div>
      <div class="table-scroll" tabIndex={0} role="region" aria-label="Requirements matrix, scrollable">
        <table class="matrix">
          <caption>Requirements matrix: every obligation in the document, verbatim, in document order</caption>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Requirement (verbatim)</th>
              <th scope="col">Section</th>
              <th scope="col">Page</th>
              <th scope="col">Level</th>
              <th scope="col">Party</th>
              <th scope="col">Dates and quantities</th>
              <th scope="col">Category</th>
            </tr>
          </thead>
          <tbody>
            {result.requirements.map((q) => (
              <tr key={q.id} data-requirement-id={q.id}>
                <th scope="row">{q.id}</th>
                <td class="verbatim">
                  {q.text}{' '}
                  <PassageLink
                    passage={{ start: q.start, end: q.end, ...(q.page !== undefined ? { page: q.page } : {}) }}
                    label={`Show ${q.id} in the Markdown`}
                    onShow={onShowPassage}
                  />
                </td>
                <td>{sectionWords(q.section)}</td>
                <td>{q.page ?? ''}</td>
                <td>
                  {LEVEL_WORDS[q.level] ?? q.level} <span class="code">({q.modalText})</span>
                </td>
                <td>{q.party ?? ''}</td>
                <td>{[...q.dates, ...q.quantities].join('; ')}</td>
                <td>{q.category}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function Answer({
  result,
  onShowPassage,
}: {
  result: Extract<Result, { kind: 'ask' }>;
  onShowPassage: (p: Passage) => void;
}) {
  if (!result.found)
    return (
      <p class="answer" data-found="false">
        Not in the document.
        {/^not in the document\.?$/i.test(result.answer.trim()) ? '' : ` ${result.answer}`}
      </p>
    );
  return (
    <>
      <p class="answer" data-found="true">
        {result.answer}
      </p>
      <Claims claims={result.claims} onShow={onShowPassage} />
    </>
  );
}

function Summary({
  result,
  onShowPassage,
}: {
  result: Extract<Result, { kind: 'summary' }>;
  onShowPassage: (p: Passage) => void;
}) {
  return (
    <>
      <h5>The whole document</h5>
      <Claims claims={result.overall} onShow={onShowPassage} />
      {result.sections.map((s, i) => (
        <section key={i} class="summary-section">
          <h5>
            {s.headingPath.length ? s.headingPath.join(' › ') : sectionWords(s.section) || 'Before the first heading'}
          </h5>
          <Claims claims={s.claims} onShow={onShowPassage} />
        </section>
      ))}
    </>
  );
}

function Outline({
  result,
  onShowPassage,
}: {
  result: Extract<Result, { kind: 'outline' }>;
  onShowPassage: (p: Passage) => void;
}) {
  const top = Math.min(...result.outline.map((o) => o.depth));
  return (
    <ul class="outline">
      {result.outline.map((o, i) => (
        <li key={i} class={`depth-${Math.min(6, o.depth - top)}`}>
          <PassageLink
            passage={{ start: o.start, end: o.end, ...(o.page !== undefined ? { page: o.page } : {}) }}
            label={o.number && !o.heading.startsWith(o.number) ? `${o.number} ${o.heading}` : o.heading}
            onShow={onShowPassage}
          />
          {o.pages.length ? <span class="hint"> (pages {pagesWords(o.pages)})</span> : null}
          {o.lead ? <Quotes quotes={[o.lead]} onShow={onShowPassage} /> : null}
        </li>
      ))}
    </ul>
  );
}

function pagesWords(pages: number[]): string {
  if (pages.length === 1) return String(pages[0]);
  return `${pages[0]}–${pages[pages.length - 1]}`;
}
