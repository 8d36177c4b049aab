/**
 * The page's upright reading frame. Text is read in the direction most of its characters run (`quadrant` from
 * `itemsToRuns`: 0 upright, 1 turned 90° clockwise, 2 upside down, 3 turned 90° counter-clockwise, in viewport
 * space after the page's own `/Rotate`). A landscape table stored on a portrait page with `/Rotate 90`, or set
 * with a rotated text matrix, has its runs turned upright by `toUpright`; its ruling lines and the page's
 * size have to be turned the same way, or rules and text no longer meet and the table falls apart.
 */
import type { Segment } from './graphics.ts';
import { toUpright } from './text-items.ts';

/** Width and height (points) of the page as read: swapped when the reading direction is turned a quarter. */
export function uprightSize(
  quadrant: number,
  viewport: { width: number; height: number },
): { width: number; height: number } {
  return quadrant % 2 === 1 ? { width: viewport.height, height: viewport.width } : viewport;
}

/**
 * Ruling lines (viewport space, y down) → the upright frame of the runs. A horizontal rule of a page turned a
 * quarter becomes a vertical one; coordinates are re-ordered so `x0 ≤ x1`, `y0 ≤ y1` still holds.
 */
export function segmentsUpright(
  segments: Segment[],
  quadrant: number,
  viewport: { width: number; height: number },
): Segment[] {
  if (quadrant === 0) return segments;
  return segments.map((s) => {
    const [ax, ay] = toUpright(s.x0, s.y0, quadrant, viewport);
    const [bx, by] = toUpright(s.x1, s.y1, quadrant, viewport);
    return { x0: Math.min(ax, bx), x1: Math.max(ax, bx), y0: Math.min(ay, by), y1: Math.max(ay, by) };
  });
}
