/**
 * The caller's jobs, newest first: pages of 20 from `GET /v1/jobs` ("Load more" follows `nextCursor`), a
 * filter by file name over the jobs loaded (the API lists by time only), open and delete (asked twice).
 */
import { useEffect, useState } from 'preact/hooks';
import { ok, type Session, type components } from './api.ts';
import { ErrorNote, StatusBadge, formatBytes } from './ui.tsx';

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

  const load = async (after?: string) => {
    try {
      const page = await ok(
        session.client.GET('/v1/jobs', { params: { query: { limit: 20, ...(after ? { cursor: after } : {}) } } }),
      );
      setJobs((prev) => (after ? [...prev, ...page.jobs] : page.jobs));
      setCursor(page.nextCursor);
      setError(undefined);
    } catch (e) {
      setError(e);
    }
  };
  useEffect(() => void load(), [session, refresh]);

  const remove = async (id: string) => {
    try {
      await ok(session.client.DELETE('/v1/jobs/{id}', { params: { path: { id } } }));
      setJobs((prev) => prev.filter((j) => j.id !== id));
      setArmed(undefined);
    } catch (e) {
      setError(e);
    }
  };

  const needle = query.trim().toLowerCase();
  const shown = needle ? jobs.filter((j) => j.filename.toLowerCase().includes(needle)) : jobs;
  return (
    <section aria-labelledby="jobs-title" class="jobs">
      <h2 id="jobs-title">Your jobs</h2>
      <label for="job-search">Search by file name</label>
      <input id="job-search" type="search" value={query} onInput={(e) => setQuery(e.currentTarget.value)} />
      <ErrorNote error={error} />
      {shown.length === 0 ? <p>{needle ? 'No loaded job matches.' : 'No jobs yet.'}</p> : null}
      <ul class="job-list">
        {shown.map((j) => (
          <li key={j.id} class="job-row" data-job-id={j.id}>
            <span class="name">{j.filename}</span> <StatusBadge status={j.status} />{' '}
            <span class="size">{formatBytes(j.size)}</span>{' '}
            <time dateTime={j.createdAt}>{new Date(j.createdAt).toLocaleString()}</time>
            <span class="actions">
              <button type="button" onClick={() => onOpen(j.id)} aria-label={`Open ${j.filename}`}>
                Open
              </button>
              {armed === j.id ? (
                <button
                  type="button"
                  class="danger"
                  onClick={() => void remove(j.id)}
                  aria-label={`Confirm deleting ${j.filename}`}
                >
                  Really delete?
                </button>
              ) : (
                <button
                  type="button"
                  class="secondary"
                  onClick={() => setArmed(j.id)}
                  aria-label={`Delete ${j.filename}`}
                >
                  Delete
                </button>
              )}
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
