/**
 * The deployment's settings, read from the page's `<script type="application/json" id="mdraft-config">` data
 * block (written by `functions/routes/web.ts`; a data block is never executed, so the CSP needs no inline
 * script). Same shape as `WebSettings` there.
 */
export interface WebConfig {
  /** The embedded default (`npm start`): its one-time sign-in link sets a session cookie. */
  local: boolean;
  /** Firebase sign-in, when the deployment offers it; `emulatorUrl` = the Firebase Auth emulator (tests). */
  firebase?: { apiKey: string; authDomain: string; projectId: string; emulatorUrl?: string };
}

export function readConfig(doc: Document = document): WebConfig {
  const text = doc.getElementById('mdraft-config')?.textContent ?? '';
  try {
    const parsed = JSON.parse(text) as Partial<WebConfig>;
    return { local: parsed.local === true, ...(parsed.firebase ? { firebase: parsed.firebase } : {}) };
  } catch {
    return { local: false };
  }
}
