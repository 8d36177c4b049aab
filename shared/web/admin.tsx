/**
 * The admin area, shown only when `GET /v1/admin/users` answers (the server decides who is an admin): find
 * users by email or id prefix, read a user's usage this month (jobs, pages, AI calls), suspend or reactivate
 * them, change their plan, revoke their keys, and read the audit log. Every action is recorded server-side with the request id.
 */
import { useEffect, useState } from 'preact/hooks';
import { ok, type Session, type components } from './api.ts';
import { ErrorNote } from './ui.tsx';

type User = components['schemas']['AdminUser'];
type Entry = components['schemas']['AuditEntry'];
type Usage = components['schemas']['UsageRecord'];

/** "12 jobs, 340 pages, 3 AI calls (2027-02)": one user's month in one line. */
export function usageLine(u: Usage): string {
  const n = (count: number, one: string) => `${count} ${one}${count === 1 ? '' : 's'}`;
  return `${n(u.jobs, 'job')}, ${n(u.pages, 'page')}, ${n(u.aiCalls, 'AI call')} (${u.month})`;
}

/** @returns whether the signed-in user may use the admin routes. */
export async function isAdmin(session: Session): Promise<boolean> {
  const { response } = await session.client.GET('/v1/admin/users', { params: { query: { limit: 1 } } });
  return response.ok;
}

export function Admin({ session }: { session: Session }) {
  const [by, setBy] = useState<'email' | 'id'>('email');
  const [prefix, setPrefix] = useState('');
  const [users, setUsers] = useState<User[]>([]);
  const [audit, setAudit] = useState<Entry[]>([]);
  const [error, setError] = useState<unknown>();
  const [plans, setPlans] = useState<Record<string, string>>({});
  const [usage, setUsage] = useState<Record<string, Usage>>({});

  const search = async (e?: Event) => {
    e?.preventDefault();
    try {
      const q = prefix.trim() ? { [by]: prefix.trim(), limit: 50 } : { limit: 50 };
      const page = await ok(session.client.GET('/v1/admin/users', { params: { query: q } }));
      setUsers(page.users);
      const log = await ok(session.client.GET('/v1/admin/audit', { params: { query: { limit: 20 } } }));
      setAudit(log.entries);
      setError(undefined);
    } catch (err) {
      setError(err);
    }
  };
  useEffect(() => void search(), [session]);

  const act = async (call: () => Promise<unknown>) => {
    try {
      await call();
      await search();
    } catch (err) {
      setError(err);
    }
  };
  const path = (id: string) => ({ params: { path: { id } } });
  /** This month's usage of one user, on demand (one request per user asked about, not per row listed). */
  const showUsage = async (id: string) => {
    try {
      const answer = await ok(
        session.client.GET('/v1/admin/users/{id}/usage', { params: { path: { id }, query: {} } }),
      );
      setUsage((seen) => ({ ...seen, [id]: answer.usage }));
      setError(undefined);
    } catch (err) {
      setError(err);
    }
  };

  return (
    <section aria-labelledby="admin-title" class="admin">
      <h2 id="admin-title">Administration</h2>
      <form class="row" onSubmit={search}>
        <label for="admin-by">Find users by</label>
        <select id="admin-by" value={by} onChange={(e) => setBy(e.currentTarget.value as 'email' | 'id')}>
          <option value="email">email prefix</option>
          <option value="id">id prefix</option>
        </select>
        <label for="admin-prefix" class="visually-hidden">
          Prefix
        </label>
        <input id="admin-prefix" value={prefix} onInput={(e) => setPrefix(e.currentTarget.value)} />
        <button type="submit">Search</button>
      </form>
      <ErrorNote error={error} />
      <table class="users">
        <caption class="visually-hidden">Users</caption>
        <thead>
          <tr>
            <th scope="col">User</th>
            <th scope="col">Status</th>
            <th scope="col">Plan</th>
            <th scope="col">Usage</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id} data-user-id={u.id}>
              <td>
                {u.email ?? u.id}
                {u.admin ? ' (admin)' : ''}
              </td>
              <td>{u.status}</td>
              <td>
                <label for={`plan-${u.id}`} class="visually-hidden">
                  Plan of {u.email ?? u.id}
                </label>
                <input
                  id={`plan-${u.id}`}
                  size={8}
                  value={plans[u.id] ?? u.plan ?? 'free'}
                  onInput={(e) => setPlans({ ...plans, [u.id]: e.currentTarget.value })}
                />
                <button
                  type="button"
                  onClick={() =>
                    void act(() =>
                      ok(
                        session.client.PUT('/v1/admin/users/{id}/plan', {
                          ...path(u.id),
                          body: { plan: plans[u.id] ?? u.plan ?? 'free' },
                        }),
                      ),
                    )
                  }
                >
                  Set plan
                </button>
              </td>
              <td class="usage">
                {usage[u.id] ? (
                  usageLine(usage[u.id])
                ) : (
                  <button type="button" onClick={() => void showUsage(u.id)}>
                    Show usage
                  </button>
                )}
              </td>
              <td>
                {u.status === 'active' ? (
                  <button
                    type="button"
                    onClick={() => void act(() => ok(session.client.POST('/v1/admin/users/{id}/suspend', path(u.id))))}
                  >
                    Suspend
                  </button>
                ) : (
                  <button
                    type="button"
                    onClick={() =>
                      void act(() => ok(session.client.POST('/v1/admin/users/{id}/reactivate', path(u.id))))
                    }
                  >
                    Reactivate
                  </button>
                )}{' '}
                <button
                  type="button"
                  onClick={() =>
                    void act(() => ok(session.client.POST('/v1/admin/users/{id}/revoke-keys', path(u.id))))
                  }
                >
                  Revoke keys
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Audit log</h3>
      <ul class="audit">
        {audit.map((a) => (
          <li key={a.id}>
            <time dateTime={new Date(a.at).toISOString()}>{new Date(a.at).toLocaleString()}</time> {a.actor} {a.action}{' '}
            {a.target}
          </li>
        ))}
      </ul>
    </section>
  );
}
