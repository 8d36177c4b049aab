/** Small shared pieces of the page: error notes, status words, sizes, downloads, two-step confirmations. */
import type { ComponentChildren } from 'preact';
import { apiCodeInWords, asFailure } from './errors.ts';

/** An error in words, with its code and the request id to quote to support. */
export function ErrorNote({ error }: { error: unknown }) {
  if (!error) return null;
  const f = asFailure(error);
  const words = apiCodeInWords(f.code, f.message);
  return (
    <p class="error" role="alert">
      {words}
      {f.message && words !== f.message ? ` (${f.message})` : ''} <span class="code">[{f.code}]</span>
      {f.requestId ? (
        <span class="request-id">
          {' '}
          request id: <code>{f.requestId}</code>
        </span>
      ) : null}
    </p>
  );
}

export function Notice({ children }: { children: ComponentChildren }) {
  return (
    <p class="notice" role="status">
      {children}
    </p>
  );
}

const STATUS_WORDS: Record<string, string> = {
  awaiting_upload: 'waiting for the upload',
  awaiting_confirmation: 'waiting for your confirmation',
  queued: 'queued',
  processing: 'converting',
  succeeded: 'done',
  failed: 'failed',
  expired: 'expired',
};

export function statusInWords(status: string): string {
  return STATUS_WORDS[status] ?? status;
}

export function StatusBadge({ status }: { status: string }) {
  return (
    <span class={`status status-${status}`} data-status={status}>
      {statusInWords(status)}
    </span>
  );
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} kB`;
  return `${(n / 1024 ** 2).toFixed(1)} MB`;
}

export function formatCents(cents: number): string {
  return `$${(cents / 100).toFixed(2)}`;
}

/** Saves `content` as a file named `name` (an object URL the browser downloads, then released). */
export function download(name: string, content: string, type: string): void {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The result's file name: `report.pdf` → `report.md`. */
export function resultName(filename: string, ext: 'md' | 'json'): string {
  const base = filename.replace(/\.[^./\\]{1,10}$/, '') || 'result';
  return `${base}.${ext}`;
}

/**
 * A destructive action in two steps: the first press arms it (`onArm`), and only the armed button, now
 * saying `confirmLabel`, runs `onConfirm`; so one stray click deletes nothing. `subject` names the thing
 * acted on for screen readers (`"<label> <subject>"`, then `"Confirm <confirmVerb> <subject>"`), since the
 * visible words alone do not say which row's button it is.
 */
export function ConfirmButton({
  armed,
  label,
  confirmLabel,
  confirmVerb,
  subject,
  onArm,
  onConfirm,
}: {
  armed: boolean;
  label: string;
  confirmLabel: string;
  confirmVerb: string;
  subject: string;
  onArm: () => void;
  onConfirm: () => void;
}) {
  return armed ? (
    <button type="button" class="danger" onClick={onConfirm} aria-label={`Confirm ${confirmVerb} ${subject}`}>
      {confirmLabel}
    </button>
  ) : (
    <button type="button" class="secondary" onClick={onArm} aria-label={`${label} ${subject}`}>
      {label}
    </button>
  );
}
