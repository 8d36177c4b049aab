/** The public shape of a job: what the API returns. Internal bookkeeping (lease, event key) stays inside. */
import type { Job } from '../ports.ts';

export interface JobView {
  id: string;
  status: Job['status'];
  filename: string;
  contentType: string;
  size: number;
  format?: string;
  createdAt: string;
  updatedAt: string;
  uploadDeadline?: string;
  uploadedAt?: string;
  startedAt?: string;
  finishedAt?: string;
  attempts: number;
  error?: { code: string; message: string };
  warnings: Job['warnings'];
  pages?: number;
  /** Billable units counted from the upload (reserved), then charged on success. */
  units?: number;
  /** `reserved`, `settled` (charged) or `released` (not charged). */
  charge?: Job['charge'];
  maxUnits?: number;
  /** The conversion options the job was created with. */
  options?: Job['options'];
  /** For `awaiting_confirmation`: confirm before this instant or the job expires. */
  confirmDeadline?: string;
  /** The callback notified when the job ends, and how its delivery went (never the signing secret). */
  webhook?: WebhookView;
}

export interface WebhookView {
  url: string;
  eventId: string;
  state: 'pending' | 'delivered' | 'failed';
  attempts: number;
  lastAttemptAt?: string;
  /** The HTTP status the receiver last answered. */
  lastStatus?: number;
  lastError?: { code: string; message: string };
  deliveredAt?: string;
}

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

export function toJobView(job: Job): JobView {
  const view: JobView = {
    id: job.id,
    status: job.status,
    filename: job.filename,
    contentType: job.contentType,
    size: job.size,
    createdAt: iso(job.createdAt)!,
    updatedAt: iso(job.updatedAt)!,
    attempts: job.attempts,
    warnings: job.warnings,
  };
  if (job.format) view.format = job.format;
  if (job.status === 'awaiting_upload') view.uploadDeadline = iso(job.uploadDeadline);
  if (job.uploadedAt) view.uploadedAt = iso(job.uploadedAt);
  if (job.startedAt) view.startedAt = iso(job.startedAt);
  if (job.finishedAt) view.finishedAt = iso(job.finishedAt);
  if (job.error) view.error = job.error;
  if (job.pages !== undefined) view.pages = job.pages;
  if (job.units !== undefined) view.units = job.units;
  if (job.charge) view.charge = job.charge;
  if (job.maxUnits !== undefined) view.maxUnits = job.maxUnits;
  if (job.options) view.options = job.options;
  if (job.status === 'awaiting_confirmation') view.confirmDeadline = iso(job.confirmDeadline);
  if (job.webhook) {
    const w = job.webhook;
    view.webhook = {
      url: w.url,
      eventId: w.eventId,
      state: w.state,
      attempts: w.attempts,
      ...(w.lastAttemptAt !== undefined ? { lastAttemptAt: iso(w.lastAttemptAt)! } : {}),
      ...(w.lastStatus !== undefined ? { lastStatus: w.lastStatus } : {}),
      ...(w.lastError ? { lastError: w.lastError } : {}),
      ...(w.deliveredAt !== undefined ? { deliveredAt: iso(w.deliveredAt)! } : {}),
    };
  }
  return view;
}
