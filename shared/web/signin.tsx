/**
 * Signing in: the embedded default's one-time link (a session cookie set by `/signin`, so the page only
 * checks `/v1/me`), an API key pasted here (kept in memory: gone on reload), or Firebase Auth when the
 * deployment offers it (email/password or Google).
 */
import { useState } from 'preact/hooks';
import { bearerClient, keyClient, ok, sessionClient, type ApiClient, type Session } from './api.ts';
import type { WebConfig } from './config.ts';
import { ErrorNote } from './ui.tsx';

/** Asks `/v1/me` with `client`: the session when it answers, else throws its `ApiFailure`. */
export async function establish(
  client: ApiClient,
  method: Session['method'],
  signOut: () => Promise<void>,
): Promise<Session> {
  const { me } = await ok(client.GET('/v1/me'));
  return { method, client, label: me.email ?? me.displayName ?? me.id, signOut };
}

/** The cookie session, if the browser has one (after the sign-in link); undefined when not signed in. */
export async function existingSession(): Promise<Session | undefined> {
  try {
    return await establish(sessionClient(), 'session', async () => undefined);
  } catch {
    return undefined;
  }
}

export function SignIn({ config, onSession }: { config: WebConfig; onSession: (s: Session) => void }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [fbError, setFbError] = useState<string>();

  const withKey = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      onSession(await establish(keyClient(key.trim()), 'key', async () => undefined));
      setKey('');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const withFirebase = async (how: 'signIn' | 'signUp' | 'google') => {
    const fb = config.firebase;
    if (!fb) return;
    setBusy(true);
    setFbError(undefined);
    setError(undefined);
    const mod = await import('./firebase.ts');
    try {
      const signedIn =
        how === 'google' ? await mod.googleSignIn(fb) : await mod.emailSignIn(fb, email.trim(), password, how);
      onSession(await establish(bearerClient(signedIn.token), 'firebase', signedIn.signOut));
    } catch (err) {
      if ((err as { code?: string }).code?.startsWith('auth/')) setFbError(mod.firebaseErrorInWords(err));
      else setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="signin" aria-labelledby="signin-title">
      <h1 id="signin-title">Sign in to MDraft</h1>
      {config.local ? (
        <section aria-labelledby="link-title">
          <h2 id="link-title">With the sign-in link</h2>
          <p>
            Open the one-time link that <code>npm start</code> printed in this browser. It works once; restart the
            server for a new one.
          </p>
        </section>
      ) : null}
      {config.firebase ? (
        <section aria-labelledby="fb-title">
          <h2 id="fb-title">With your account</h2>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void withFirebase('signIn');
            }}
          >
            <label for="fb-email">Email</label>
            <input
              id="fb-email"
              type="email"
              autocomplete="username"
              required
              value={email}
              onInput={(e) => setEmail(e.currentTarget.value)}
            />
            <label for="fb-password">Password</label>
            <input
              id="fb-password"
              type="password"
              autocomplete="current-password"
              required
              minLength={6}
              value={password}
              onInput={(e) => setPassword(e.currentTarget.value)}
            />
            <div class="row">
              <button type="submit" disabled={busy}>
                Sign in
              </button>
              <button type="button" disabled={busy} onClick={() => void withFirebase('signUp')}>
                Create account
              </button>
            </div>
          </form>
          <button type="button" disabled={busy} onClick={() => void withFirebase('google')}>
            Sign in with Google
          </button>
          {fbError ? (
            <p class="error" role="alert">
              {fbError}
            </p>
          ) : null}
        </section>
      ) : null}
      <section aria-labelledby="key-title">
        <h2 id="key-title">With an API key</h2>
        <form onSubmit={withKey}>
          <label for="api-key">API key</label>
          <input
            id="api-key"
            type="password"
            autocomplete="off"
            spellcheck={false}
            required
            placeholder="mdk_…"
            value={key}
            onInput={(e) => setKey(e.currentTarget.value)}
          />
          <p class="hint">Kept in this page's memory only: reloading the page forgets it.</p>
          <button type="submit" disabled={busy}>
            Use this key
          </button>
        </form>
      </section>
      <ErrorNote error={error} />
      <p>
        <a href="/docs">API reference</a>
      </p>
    </main>
  );
}
