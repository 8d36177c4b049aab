/**
 * Which declared content types a job may be created with, the size class each falls in, and which
 * detected formats count as "the type that was declared" when the bytes arrive.
 */
import type { SizeLimits } from '../config.ts';

export type SizeClass = keyof SizeLimits;

interface Accepted {
  sizeClass: SizeClass;
  /** Formats (from `detectFormat`) the bytes may turn out to be. */
  formats: readonly string[];
}

const TEXT_FAMILY = ['text', 'markdown', 'csv', 'json', 'html'] as const;

const DECLARED: Record<string, Accepted> = {
  'application/pdf': { sizeClass: 'pdf', formats: ['pdf'] },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': { sizeClass: 'office', formats: ['docx'] },
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': {
    sizeClass: 'office',
    formats: ['pptx'],
  },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { sizeClass: 'office', formats: ['xlsx'] },
  'application/vnd.ms-excel': { sizeClass: 'office', formats: ['xls'] },
  'application/epub+zip': { sizeClass: 'office', formats: ['epub'] },
  'text/html': { sizeClass: 'text', formats: TEXT_FAMILY },
  'application/xhtml+xml': { sizeClass: 'text', formats: TEXT_FAMILY },
  'text/csv': { sizeClass: 'text', formats: TEXT_FAMILY },
  'text/tab-separated-values': { sizeClass: 'text', formats: TEXT_FAMILY },
  'text/plain': { sizeClass: 'text', formats: TEXT_FAMILY },
  'text/markdown': { sizeClass: 'text', formats: TEXT_FAMILY },
  'application/json': { sizeClass: 'text', formats: TEXT_FAMILY },
  'image/png': { sizeClass: 'image', formats: ['image'] },
  'image/jpeg': { sizeClass: 'image', formats: ['image'] },
  'image/gif': { sizeClass: 'image', formats: ['image'] },
  'image/webp': { sizeClass: 'image', formats: ['image'] },
  'image/tiff': { sizeClass: 'image', formats: ['image'] },
  'image/bmp': { sizeClass: 'image', formats: ['image'] },
};

/** `text/csv; charset=utf-8` → `text/csv`. */
export function essence(contentType: string): string {
  return contentType.split(';')[0].trim().toLowerCase();
}

export function acceptedType(contentType: string): Accepted | undefined {
  return DECLARED[essence(contentType)];
}

/** The size class of a detected format, for re-checking the limit against what the bytes really are. */
export function sizeClassOfFormat(format: string): SizeClass {
  if (format === 'pdf') return 'pdf';
  if (format === 'image') return 'image';
  if ((TEXT_FAMILY as readonly string[]).includes(format)) return 'text';
  return 'office';
}
