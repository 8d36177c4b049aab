/**
 * The page: sign in, then sections for converting (uploads with live status), a job's result, the job list,
 * usage and billing, API keys and, for administrators, the admin area. One view at a time, chosen in the
 * navigation (buttons with `aria-current`), so it reads well at phone width and by keyboard.
 */
import { useEffect, useState } from 'preact/hooks';
import type { Session } from './api.ts';
import type { WebConfig } from './config.ts';
import { SignIn, existingSession } from './signin.tsx';
import { Uploads } from './uploads.tsx';
import { JobView } from './job-view.tsx';
import { JobsList } from './jobs-list.tsx';
import { Usage } from './account.tsx';
import { Keys } from './keys.tsx';
import { Admin, isAdmin } from './admin.tsx';

type View = 'convert' | 'jobs' | 'usage' | 'keys' | 'admin' | 'job';

const NAV: [Exclude<View, 'job'>, string][] = [
  ['convert', 'Convert'],
  ['jobs', 'Jobs'],
  ['usage', 'Usage & plan'],
  ['keys', 'API keys'],
  ['admin', 'Admin'],
];

export function App({ config }: { config: WebConfig }) {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [view, setView] = useState<View>('convert');
  const [jobId, setJobId] = useState<string>();
  const [admin, setAdmin] = useState(false);
  const [refresh, setRefresh] = useState(0);

  useEffect(() => {
    void existingSession().then((s) => setSession(s ?? null));
  }, []);
  useEffect(() => {
    setAdmin(false);
    if (session) void isAdmin(session).then(setAdmin, () => setAdmin(false));
  }, [session]);

  if (session === undefined)
    return (
      <p class="loading" role="status">
        Loading…
      </p>
    );
  if (session === null) return <SignIn config={config} onSession={setSession} />;

  const open = (id: string) => {
    setJobId(id);
    setView('job');
  };
  const signOut = async () => {
    await session.signOut();
    setSession(null);
    setView('convert');
  };
  return (
    <>
      <header class="top">
        <h1>MDraft</h1>
        <nav aria-label="Sections">
          {NAV.filter(([v]) => v !== 'admin' || admin).map(([v, label]) => (
            <button
              type="button"
              key={v}
              class="nav"
              aria-current={view === v ? 'page' : undefined}
              onClick={() => setView(v)}
            >
              {label}
            </button>
          ))}
          <a href="/docs" class="nav">
            API reference
          </a>
        </nav>
        <p class="who">
          Signed in as <strong>{session.label}</strong>{' '}
          {session.method === 'session' ? (
            // The HttpOnly cookie is out of the page's reach: the server revokes its key and clears it.
            <form method="post" action="/signout" class="inline">
              <button type="submit" class="secondary">
                Sign out
              </button>
            </form>
          ) : (
            <button type="button" class="secondary" onClick={() => void signOut()}>
              Sign out
            </button>
          )}
        </p>
      </header>
      <main>
        {/* Uploads stay mounted so their progress and polling go on while another view is open. */}
        <div hidden={view !== 'convert'}>
          <Uploads session={session} onOpen={open} onChanged={() => setRefresh((n) => n + 1)} />
        </div>
        {view === 'job' && jobId ? <JobView session={session} id={jobId} onClose={() => setView('jobs')} /> : null}
        {view === 'jobs' ? <JobsList session={session} refresh={refresh} onOpen={open} /> : null}
        {view === 'usage' ? <Usage session={session} refresh={refresh} /> : null}
        {view === 'keys' ? <Keys session={session} /> : null}
        {view === 'admin' && admin ? <Admin session={session} /> : null}
      </main>
    </>
  );
}
