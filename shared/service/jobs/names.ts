/** Ids and object names. Job ids are 128 random bits: unguessable, so a leaked id alone reveals nothing. */
import { createHash, randomBytes } from 'node:crypto';

export function newJobId(): string {
  return `job_${randomBytes(16).toString('base64url')}`;
}

export function isJobId(value: string): boolean {
  return /^job_[A-Za-z0-9_-]{22}$/.test(value);
}

/** Owner ids become path segments; anything unusual is hashed so it can never escape its prefix. */
function ownerSegment(owner: string): string {
  return /^[A-Za-z0-9_-]{1,128}$/.test(owner)
    ? owner
    : `h_${createHash('sha256').update(owner).digest('hex').slice(0, 40)}`;
}

export function inputObjectName(owner: string, jobId: string): string {
  return `u/${ownerSegment(owner)}/${jobId}/input`;
}

/** The job id in an uploads object name, or undefined when the name is not one of ours. */
export function jobIdFromInputObject(name: string): string | undefined {
  const m = /^u\/[A-Za-z0-9_-]{1,128}\/(job_[A-Za-z0-9_-]{22})\/input$/.exec(name);
  return m?.[1];
}

export function resultObjectNames(jobId: string): { markdown: string; json: string } {
  return { markdown: `${jobId}/result.md`, json: `${jobId}/result.json` };
}

export function eventKeyOf(bucket: string, name: string, generation: string): string {
  return `${bucket}/${name}#${generation}`;
}

/** Cloud Tasks task ids allow [A-Za-z0-9_-]{1,500}: a hex digest fits and de-duplicates per upload. */
export function taskNameFor(eventKey: string): string {
  return createHash('sha256').update(eventKey).digest('hex');
}
