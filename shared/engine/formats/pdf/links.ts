/**
 * Links from link annotations: each annotation with an external URL covers a rectangle of the page; the text
 * runs under it become the link's text. pdf.js items often span a whole line while the link covers a few words,
 * so a run partly under a rectangle is split there (at the nearest word boundary, by character share of width).
 * Only web and mail targets are kept: `javascript:`, `file:` and the like never reach the output.
 */
import type { Run } from './text-items.ts';

export interface LinkArea {
  x0: number;
  x1: number;
  top: number;
  bottom: number;
  url: string;
}

const SAFE_URL = /^(?:https?:\/\/|mailto:|ftp:\/\/)/i;

export function safeLinkUrl(url: unknown): string | undefined {
  if (typeof url !== 'string') return undefined;
  const trimmed = url.trim();
  return SAFE_URL.test(trimmed) && trimmed.length < 4096 ? trimmed : undefined;
}

export function applyLinks(runs: Run[], areas: LinkArea[]): Run[] {
  if (!areas.length) return runs;
  const out: Run[] = [];
  for (const run of runs) {
    const mid = run.y - 0.3 * run.size;
    const area = areas.find(
      (a) => mid >= a.top - 1 && mid <= a.bottom + 1 && run.x1 > a.x0 + 0.5 && run.x0 < a.x1 - 0.5,
    );
    if (!area) {
      out.push(run);
      continue;
    }
    out.push(...splitRun(run, area));
  }
  return out;
}

function splitRun(run: Run, area: LinkArea): Run[] {
  const n = run.text.length;
  const width = run.x1 - run.x0;
  if (n < 2 || width <= 0) return [{ ...run, href: area.url }];
  const at = (x: number) => snapToWord(run.text, Math.round(((x - run.x0) / width) * n));
  const a = run.x0 < area.x0 ? at(area.x0) : 0;
  const b = run.x1 > area.x1 ? at(area.x1) : n;
  if (b <= a) return [run];
  const xOf = (i: number) => run.x0 + (width * i) / n;
  const pieces: Run[] = [];
  const piece = (from: number, to: number, href: string | undefined) => {
    const raw = run.text.slice(from, to);
    const text = raw.trim();
    if (!text) return;
    pieces.push({
      ...run,
      text,
      x0: xOf(from),
      x1: xOf(to),
      href,
      spaceBefore: from === 0 ? run.spaceBefore : /^\s/.test(raw) || /\s$/.test(run.text.slice(0, from)),
    });
  };
  piece(0, a, undefined);
  piece(a, b, area.url);
  piece(b, n, undefined);
  return pieces;
}

/** Move a cut to the closest word boundary within a few characters, so a link does not start mid-word. */
function snapToWord(text: string, i: number): number {
  const at = Math.max(0, Math.min(text.length, i));
  for (let d = 0; d <= 3; d++) {
    if (isBoundary(text, at - d)) return at - d;
    if (isBoundary(text, at + d)) return at + d;
  }
  return at;
}
const isBoundary = (text: string, i: number) =>
  i === 0 || i === text.length || (i > 0 && i < text.length && (text[i - 1] === ' ' || text[i] === ' '));
