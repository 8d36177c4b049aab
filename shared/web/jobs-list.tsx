/**
 * The caller's jobs, newest first: pages of 20 from `GET /v1/jobs` ("Load more" follows `nextCursor`), search
 * by file name on the server (`q`: the name or a word in it begins with the search, case-insensitively; typed
 * searches are sent once typing pauses), open and delete (asked twice).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ok, type Session, type components } from './api.ts';
import { ConfirmButton, ErrorNote, StatusBadge, formatBytes } from './ui.tsx';

type Job = components['schemas']['Job'];

export function JobsList({
  session,
  refresh,
  onOpen,
}: {
  session: Session;
  refresh: number;
  onOpen: (id: string) => void;
}) {
  const [jobs, setJobs] = useState<Job[]>([]);
  const [cursor, setCursor] = useState<string>();
  const [query, setQuery] = useState('');
  const [error, setError] = useState<unknown>();
  const [armed, setArmed] = useState<string>();
  const [searched, setSearched] = useState('');
  // Only the latest request's answer is shown (a slow earlier search must not overwrite a later one).
  const latest = useRef(0);

  const needle = query.trim();
  // The API searches only letters and digits; a search of punctuation alone lists everything.
  const q = /[\p{L}\p{N}]/u.test(needle) ? needle : '';

  const load = async (after?: string) => {
    const ticket = ++latest.current;
    try {
      const page = await ok(
        session.client.GET('/v1/jobs', {
          params: { query: { limit: 20, ...(after ? { cursor: after } : {}), ...(q ? { q } : {}) } },
        }),
      );
      if (ticket !== latest.current) return;
      setJobs((prev) => (after ? [...prev, ...page.jobs] : page.jobs));
      setCursor(page.nextCursor);
      setSearched(q);
      setError(undefined);
    } catch (e) {
      if (ticket === latest.current) setError(e);
    }
  };
  useEffect(() => {
    const timer = setTimeout(() => void load(), q ? 250 : 0);
    return () => clearTimeout(timer);
  }, [session, refresh, q]);

  const remove = async (id: string) => {
    try {
      await ok(session.client.DELETE('/v1/jobs/{id}', { params: { path: { id } } }));
      setJobs((prev) => prev.filter((j) => j.id !== id));
      setArmed(undefined);
    } catch (e) {
      setError(e);
    }
  };

  const shown = jobs;
  return (
    <section aria-labelledby="jobs-title" class="jobs">
      <h2 id="jobs-title">Your jobs</h2>
      <label for="job-search">Search by file name</label>
      <input
        id="job-search"
        type="search"
        value={query}
        aria-describedby="job-search-hint"
        onInput={(e) => setQuery(e.currentTarget.value)}
      />
      <p id="job-search-hint" class="hint">
        Finds names that begin with your search, or that have a word beginning with it.
      </p>
      <ErrorNote error={error} />
      {shown.length === 0 ? (
        <p role="status">{searched ? `No job’s name matches “${searched}”.` : 'No jobs yet.'}</p>
      ) : null}
      <ul class="job-list" data-search={searched}>
        {shown.map((j) => (
          <li key={j.id} class="job-row" data-job-id={j.id}>
            <span class="name">{j.filename}</span> <StatusBadge status={j.status} />{' '}
            <span class="size">{formatBytes(j.size)}</span>{' '}
            <time dateTime={j.createdAt}>{new Date(j.createdAt).toLocaleString()}</time>
            <span class="actions">
              <button type="button" onClick={() => onOpen(j.id)} aria-label={`Open ${j.filename}`}>
                Open
              </button>
              <ConfirmButton
                armed={armed === j.id}
                label="Delete"
                confirmLabel="Really delete?"
                confirmVerb="deleting"
                subject={j.filename}
                onArm={() => setArmed(j.id)}
                onConfirm={() => void remove(j.id)}
              />
            </span>
          </li>
        ))}
      </ul>
      {cursor ? (
        <button type="button" onClick={() => void load(cursor)}>
          Load more
        </button>
      ) : null}
    </section>
  );
}
