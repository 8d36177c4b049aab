/**
 * Which way up the text of a page image stands, from its ink alone (no OCR pass, no orientation model).
 *
 * The fallback of the image reader (`read-image.ts`): the OCR engine's own orientation and script detection
 * (tesseract's OSD, `@tesseract.js-data/osd` on the legacy-capable core) decides when the engine has it and is
 * sure; this estimate decides when it is not (too little text for OSD's threshold, the model missing) or the
 * engine has none (Document AI). Either way a doubtful page is detected once, never read at all four turns.
 * This estimate costs two projection profiles of the bitmap:
 *
 * - Direction of the lines: text set in horizontal lines makes the row profile (dark pixels per row) peaky —
 *   full rows on the lines, empty rows between them — while the column profile is smooth, because the letters
 *   of many lines average out. Peakiness is mean(p²) / mean(p)², which does not depend on how much ink there is.
 * - Up or down: in Latin, Greek and Cyrillic text the letters share a dense x-height core per line; ascenders
 *   and capitals (b d f h k l t, A–Z, 0–9) reach above it far more often than descenders (g j p q y) reach below.
 *   So the side of each line's core with more ink is the top.
 *
 * Scripts without that asymmetry (CJK, Arabic) and pictures give weak evidence; the caller only acts on the
 * estimate when OCR at 0° was poor, and keeps the better of the two readings.
 */
import type { Gray } from './bitmap.ts';

export interface Orientation {
  /** Clockwise turn (0, 90, 180, 270) that makes the text upright. */
  degrees: number;
  /** How clearly the profiles decided: 0 (no evidence) … 1. */
  confidence: number;
}

/** Ratio by which one profile must be peakier than the other for the lines to count as running that way. */
const DIRECTION_MARGIN = 1.25;
/** Ratio by which the ink on one side of the line cores must exceed the other side. */
const SIDE_MARGIN = 1.2;

/** Estimate the upright turn of a page bitmap; `dark` is the luminance below which a pixel is ink. */
export function detectOrientation(gray: Gray, dark = 128): Orientation {
  const { width, height, data } = gray;
  const rows = new Float64Array(height);
  const cols = new Float64Array(width);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      if (data[row + x] < dark) {
        rows[y]++;
        cols[x]++;
      }
    }
  }
  const rowPeaks = peakiness(rows);
  const colPeaks = peakiness(cols);
  if (!rowPeaks || !colPeaks) return { degrees: 0, confidence: 0 };
  const sideways = colPeaks > rowPeaks * DIRECTION_MARGIN;
  const upright = !sideways && rowPeaks > colPeaks * DIRECTION_MARGIN;
  if (!sideways && !upright) return { degrees: 0, confidence: 0 };
  const { before, after } = inkAroundCores(sideways ? cols : rows);
  const direction = Math.min(1, (Math.max(rowPeaks, colPeaks) / Math.min(rowPeaks, colPeaks) - 1) / 2);
  const side = Math.max(before, after) / Math.max(1, Math.min(before, after));
  const sure = side >= SIDE_MARGIN ? Math.min(1, (side - 1) / 2) : 0;
  // Upright lines: ascenders before (above) the cores. Sideways lines with ascenders after (to the right of)
  // their cores: the page was turned clockwise, so it turns back by 270°; to the left: turned back by 90°.
  if (!sideways) return { degrees: sure && after > before ? 180 : 0, confidence: direction * sure };
  return { degrees: after > before ? 270 : 90, confidence: direction * sure };
}

function peakiness(profile: Float64Array): number {
  let sum = 0;
  let squares = 0;
  for (const v of profile) {
    sum += v;
    squares += v * v;
  }
  if (sum === 0) return 0;
  const mean = sum / profile.length;
  return squares / profile.length / (mean * mean);
}

/**
 * The cores of the lines are the runs of the profile above 30% of its maximum (at least 3 pixels: a rule or a
 * speck is not a line). A core's ascender side reaches back to the previous core's ink (or halfway to it, when
 * the lines' ink touches), its descender side forward likewise. Returns the ink before (above) and after
 * (below) the cores, summed over lines.
 */
function inkAroundCores(profile: Float64Array): { before: number; after: number } {
  let max = 0;
  for (const v of profile) max = Math.max(max, v);
  const threshold = max * 0.3;
  const cores: [number, number][] = [];
  for (let i = 0; i < profile.length;) {
    if (profile[i] < threshold) {
      i++;
      continue;
    }
    const start = i;
    while (i < profile.length && profile[i] >= threshold) i++;
    if (i - start >= 3) cores.push([start, i - 1]);
  }
  let before = 0;
  let after = 0;
  cores.forEach(([start, end], k) => {
    const previous = k > 0 ? cores[k - 1][1] : -1;
    const next = k + 1 < cores.length ? cores[k + 1][0] : profile.length;
    const fromAbove = Math.max(previous + 1, Math.ceil((previous + start) / 2));
    for (let j = start - 1; j >= fromAbove && profile[j] > 0; j--) before += profile[j];
    const toBelow = Math.min(next - 1, Math.floor((end + next) / 2));
    for (let j = end + 1; j <= toBelow && profile[j] > 0; j++) after += profile[j];
  });
  return { before, after };
}
