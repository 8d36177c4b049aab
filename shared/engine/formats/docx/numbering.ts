/**
 * `numbering.xml`: list definitions. A paragraph points at a `w:num` (numId) and a level; the num points at
 * an `w:abstractNum` holding the level formats, and may override start values or whole levels.
 * Counters are kept per abstract definition, the way Word continues a list across interruptions, and a
 * num with a start override restarts it.
 */
import type { XmlElement } from '../../xml.ts';
import { attr, child, elements, localName } from '../../xml.ts';
import type { Styles } from './styles.ts';

export interface ListLevel {
  format: string;
  start: number;
  ordered: boolean;
}

interface NumDefinition {
  abstractId: string;
  overrides: Map<number, { start?: number; level?: ListLevel }>;
}

const UNORDERED = new Set(['bullet', 'none', '']);

export class Numbering {
  private readonly abstracts = new Map<string, Map<number, ListLevel>>();
  private readonly abstractStyleLink = new Map<string, string>();
  private readonly nums = new Map<string, NumDefinition>();
  private readonly styles: Styles;
  /** Next number per abstract definition and level. */
  private readonly counters = new Map<string, number[]>();
  /** Nums whose start override has already been applied. */
  private readonly restarted = new Set<string>();

  constructor(xml: XmlElement | undefined, styles: Styles) {
    this.styles = styles;
    if (!xml) return;
    for (const el of elements(xml)) {
      const name = localName(el.name);
      if (name === 'abstractNum') {
        const id = attr(el, 'abstractNumId');
        if (id === undefined) continue;
        const levels = new Map<number, ListLevel>();
        for (const lvl of elements(el))
          if (localName(lvl.name) === 'lvl') levels.set(Number(attr(lvl, 'ilvl') ?? 0), readLevel(lvl));
        this.abstracts.set(id, levels);
        const link = attr(child(el, 'numStyleLink'), 'val');
        if (link) this.abstractStyleLink.set(id, link);
      } else if (name === 'num') {
        const id = attr(el, 'numId');
        const abstractId = attr(child(el, 'abstractNumId'), 'val');
        if (id === undefined || abstractId === undefined) continue;
        const overrides = new Map<number, { start?: number; level?: ListLevel }>();
        for (const o of elements(el)) {
          if (localName(o.name) !== 'lvlOverride') continue;
          const ilvl = Number(attr(o, 'ilvl') ?? 0);
          const start = attr(child(o, 'startOverride'), 'val');
          const lvl = child(o, 'lvl');
          overrides.set(ilvl, {
            start: start !== undefined ? Number(start) : undefined,
            level: lvl ? readLevel(lvl) : undefined,
          });
        }
        this.nums.set(id, { abstractId, overrides });
      }
    }
  }

  /** The abstract definition behind a num, following a `numStyleLink` to the style that defines it. */
  private abstractOf(numId: string, depth = 0): string | undefined {
    const num = this.nums.get(numId);
    if (!num) return undefined;
    const link = this.abstractStyleLink.get(num.abstractId);
    if (link && depth < 5) {
      const ref = this.styles.numberingOfStyle(link);
      if (ref && ref.numId !== numId) return this.abstractOf(ref.numId, depth + 1) ?? num.abstractId;
    }
    return num.abstractId;
  }

  level(numId: string, ilvl: number): ListLevel | undefined {
    const num = this.nums.get(numId);
    if (!num) return undefined;
    const override = num.overrides.get(ilvl)?.level;
    if (override) return override;
    const abstractId = this.abstractOf(numId);
    const levels = abstractId !== undefined ? this.abstracts.get(abstractId) : undefined;
    return levels?.get(ilvl) ?? (levels?.size ? { format: 'bullet', start: 1, ordered: false } : undefined);
  }

  /** A key that is the same for nums sharing one list (and so one counter). */
  listKey(numId: string): string {
    return `a${this.abstractOf(numId) ?? numId}`;
  }

  /** Count one item at that level: its number, and whether a start override restarted the list here. */
  next(numId: string, ilvl: number): { value: number; restarted: boolean } {
    let restarted = false;
    const key = this.listKey(numId);
    let counters = this.counters.get(key);
    if (!counters) {
      counters = [];
      this.counters.set(key, counters);
    }
    if (!this.restarted.has(numId)) {
      this.restarted.add(numId);
      for (const [lvl, o] of this.nums.get(numId)?.overrides ?? []) {
        if (o.start !== undefined && Number.isFinite(o.start)) {
          counters.length = lvl;
          counters[lvl] = o.start;
          restarted ||= lvl === ilvl;
        }
      }
    }
    const value = counters[ilvl] ?? this.level(numId, ilvl)?.start ?? 1;
    counters[ilvl] = value + 1;
    counters.length = ilvl + 1;
    return { value, restarted };
  }
}

function readLevel(lvl: XmlElement): ListLevel {
  const format = attr(child(lvl, 'numFmt'), 'val') ?? 'decimal';
  const start = Number(attr(child(lvl, 'start'), 'val') ?? 1);
  return { format, start: Number.isFinite(start) ? start : 1, ordered: !UNORDERED.has(format) };
}
