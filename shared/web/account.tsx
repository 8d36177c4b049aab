/**
 * The month's usage against the plan (`GET /v1/me`: plan and quota; `GET /v1/usage`: this month's totals),
 * an upgrade button (`POST /v1/billing/checkout` → Stripe Checkout) and the customer portal
 * (`POST /v1/billing/portal`). A server without Stripe says so in words (501 `billing_not_configured`).
 */
import { useEffect, useState } from 'preact/hooks';
import { ok, type Session, type components } from './api.ts';
import { ErrorNote, formatBytes, formatCents } from './ui.tsx';

type Me = components['schemas']['Me'];

/** Paid plans offered for upgrade, in order (ids of the default plans table; the server validates them). */
const UPGRADES = ['pro', 'business'];

export function Usage({ session, refresh }: { session: Session; refresh: number }) {
  const [me, setMe] = useState<Me>();
  const [total, setTotal] = useState<{ jobs: number; failures: number; pages: number }>();
  const [error, setError] = useState<unknown>();
  const [plan, setPlan] = useState('pro');

  useEffect(() => {
    Promise.all([
      ok(session.client.GET('/v1/me')),
      ok(session.client.GET('/v1/usage', { params: { query: {} } })),
    ]).then(([m, u]) => {
      setMe(m.me);
      setTotal(u.total);
      setError(undefined);
    }, setError);
  }, [session, refresh]);

  const go = async (call: () => Promise<{ url: string }>) => {
    try {
      const { url } = await call();
      window.location.assign(url);
    } catch (e) {
      setError(e);
    }
  };

  const q = me?.quota;
  return (
    <section aria-labelledby="usage-title" class="usage">
      <h2 id="usage-title">Usage this month</h2>
      {me && q ? (
        <>
          <p>
            Plan: <strong>{me.plan.title}</strong> ({me.plan.monthlyUnits} units a month, files up to{' '}
            {formatBytes(me.plan.maxFileBytes)}
            {me.plan.monthlyPriceCents ? `, ${formatCents(me.plan.monthlyPriceCents)} a month` : ''})
          </p>
          <label for="quota-meter">
            {q.used} of {q.limit} units used in {q.month}
            {q.reserved ? ` (${q.reserved} reserved by jobs in progress)` : ''}
          </label>
          <meter
            id="quota-meter"
            min={0}
            max={Math.max(q.limit, 1)}
            value={q.used + q.reserved}
            // Low use is good: the browser colours the bar amber past half and red past 80 %.
            optimum={0}
            low={Math.max(q.limit, 1) * 0.5}
            high={Math.max(q.limit, 1) * 0.8}
          />
          {q.remaining <= 0 ? (
            <p class="error" role="alert">
              This month's allowance is spent: new conversions are refused until you upgrade or the month ends.
            </p>
          ) : null}
          {total ? (
            <p>
              {total.jobs} conversions, {total.pages} pages, {total.failures} failed.
            </p>
          ) : null}
          {me.billing.graceUntil ? (
            <p class="error">
              A payment failed: update your card before {new Date(me.billing.graceUntil).toLocaleDateString()}.
            </p>
          ) : null}
          <div class="row">
            <label for="upgrade-plan">Plan</label>
            <select id="upgrade-plan" value={plan} onChange={(e) => setPlan(e.currentTarget.value)}>
              {UPGRADES.filter((p) => p !== me.plan.id).map((p) => (
                <option key={p} value={p}>
                  {p}
                </option>
              ))}
            </select>
            <button
              type="button"
              onClick={() => void go(() => ok(session.client.POST('/v1/billing/checkout', { body: { plan } })))}
            >
              Upgrade
            </button>
            <button
              type="button"
              class="secondary"
              onClick={() => void go(() => ok(session.client.POST('/v1/billing/portal')))}
            >
              Billing portal
            </button>
          </div>
        </>
      ) : null}
      <ErrorNote error={error} />
    </section>
  );
}
