/**
 * Firebase Auth sign-in (email/password and Google), loaded on demand: this module is a separate chunk the
 * page imports only when the deployment is configured for Firebase, so other deployments never load the SDK.
 * Pointed at the Firebase Auth emulator when the settings name one (tests, `npm run auth-emulator`).
 */
import { initializeApp } from 'firebase/app';
import {
  connectAuthEmulator,
  createUserWithEmailAndPassword,
  getAuth,
  GoogleAuthProvider,
  inMemoryPersistence,
  setPersistence,
  signInWithEmailAndPassword,
  signInWithPopup,
  signOut,
  type Auth,
} from 'firebase/auth';
import type { WebConfig } from './config.ts';

export interface FirebaseSignIn {
  /** A fresh ID token of the signed-in user (refreshed by the SDK before it expires). */
  token(): Promise<string | undefined>;
  email(): string | undefined;
  signOut(): Promise<void>;
}

let auth: Auth | undefined;

function authFor(settings: NonNullable<WebConfig['firebase']>): Auth {
  if (auth) return auth;
  const app = initializeApp({
    apiKey: settings.apiKey,
    authDomain: settings.authDomain,
    projectId: settings.projectId,
  });
  auth = getAuth(app);
  if (settings.emulatorUrl) connectAuthEmulator(auth, settings.emulatorUrl, { disableWarnings: true });
  return auth;
}

function wrap(a: Auth): FirebaseSignIn {
  return {
    token: async () => (a.currentUser ? a.currentUser.getIdToken() : undefined),
    email: () => a.currentUser?.email ?? undefined,
    signOut: () => signOut(a),
  };
}

/** `mode`: `signIn` an existing account or `signUp` a new one with that email and password. */
export async function emailSignIn(
  settings: NonNullable<WebConfig['firebase']>,
  email: string,
  password: string,
  mode: 'signIn' | 'signUp',
): Promise<FirebaseSignIn> {
  const a = authFor(settings);
  // The ID token lives in memory only, like a pasted API key: closing the tab signs out.
  await setPersistence(a, inMemoryPersistence);
  if (mode === 'signUp') await createUserWithEmailAndPassword(a, email, password);
  else await signInWithEmailAndPassword(a, email, password);
  return wrap(a);
}

export async function googleSignIn(settings: NonNullable<WebConfig['firebase']>): Promise<FirebaseSignIn> {
  const a = authFor(settings);
  await setPersistence(a, inMemoryPersistence);
  await signInWithPopup(a, new GoogleAuthProvider());
  return wrap(a);
}

/** Firebase's error codes (`auth/…`) in words. */
export function firebaseErrorInWords(error: unknown): string {
  const code = (error as { code?: string }).code ?? '';
  const words: Record<string, string> = {
    'auth/invalid-credential': 'Wrong email or password.',
    'auth/wrong-password': 'Wrong email or password.',
    'auth/user-not-found': 'No account has that email: create one.',
    'auth/email-already-in-use': 'An account with that email exists: sign in instead.',
    'auth/weak-password': 'The password is too weak (at least 6 characters).',
    'auth/invalid-email': 'That is not a valid email address.',
    'auth/popup-closed-by-user': 'The Google sign-in window was closed.',
    'auth/popup-blocked': 'The browser blocked the Google sign-in window.',
    'auth/network-request-failed': 'Firebase could not be reached.',
  };
  return words[code] ?? (error instanceof Error ? error.message : String(error));
}
