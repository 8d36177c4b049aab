/** API keys: list (`GET /v1/keys`), create (the secret shown once, here only), revoke (asked twice). */
import { useEffect, useState } from 'preact/hooks';
import { ok, type Session, type components } from './api.ts';
import { ConfirmButton, ErrorNote } from './ui.tsx';

type Key = components['schemas']['ApiKey'];

export function Keys({ session }: { session: Session }) {
  const [keys, setKeys] = useState<Key[]>([]);
  const [name, setName] = useState('');
  const [secret, setSecret] = useState<{ name: string; value: string }>();
  const [armed, setArmed] = useState<string>();
  const [error, setError] = useState<unknown>();

  const load = () =>
    ok(session.client.GET('/v1/keys')).then(
      (r) => setKeys(r.keys),
      (e) => setError(e),
    );
  useEffect(() => void load(), [session]);

  const create = async (e: Event) => {
    e.preventDefault();
    try {
      const made = await ok(session.client.POST('/v1/keys', { body: name.trim() ? { name: name.trim() } : {} }));
      setSecret({ name: made.key.name, value: made.secret });
      setName('');
      setError(undefined);
      await load();
    } catch (err) {
      setError(err);
    }
  };
  const revoke = async (id: string) => {
    try {
      await ok(session.client.DELETE('/v1/keys/{id}', { params: { path: { id } } }));
      setArmed(undefined);
      await load();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <section aria-labelledby="keys-title" class="keys">
      <h2 id="keys-title">API keys</h2>
      <form onSubmit={create} class="row">
        <label for="key-name">Name of the new key</label>
        <input id="key-name" maxLength={100} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        <button type="submit">Create key</button>
      </form>
      {secret ? (
        <div class="secret" role="status">
          <p>
            The key <strong>{secret.name}</strong>: copy it now, it is not shown again.
          </p>
          <label for="new-secret">New API key</label>
          <input id="new-secret" readOnly value={secret.value} onFocus={(e) => e.currentTarget.select()} />
          <button type="button" class="secondary" onClick={() => setSecret(undefined)}>
            I copied it
          </button>
        </div>
      ) : null}
      <ErrorNote error={error} />
      <ul class="key-list">
        {keys.map((k) => (
          <li key={k.id} class="key-row" data-key-name={k.name} data-revoked={k.revokedAt ? 'true' : 'false'}>
            <strong>{k.name}</strong> <code>{k.prefix}…</code> created {new Date(k.createdAt).toLocaleDateString()}
            {k.revokedAt ? (
              <span class="status status-failed"> revoked</span>
            ) : (
              <ConfirmButton
                armed={armed === k.id}
                label="Revoke"
                confirmLabel="Really revoke?"
                confirmVerb="revoking"
                subject={k.name}
                onArm={() => setArmed(k.id)}
                onConfirm={() => void revoke(k.id)}
              />
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
