/**
 * Text escaping with only the unsafe patterns that can apply. mdast-util-to-markdown's `state.safe` runs every
 * one of its unsafe patterns (96 with the GFM and math extensions) as a regular expression over every text
 * node, and a pattern can only ever escape its own `character`: a position it reports is where that character
 * is, and positions outside the node's own value are dropped. A pattern whose character the value does not hold
 * therefore changes nothing, so `state.safe` is called with the patterns whose character the value holds, and
 * gives the same string. Profiled on a 360-page text PDF: `safe` was the serializer's largest cost (~80 ms of
 * ~230 ms); most prose holds a handful of the 58 distinct characters they name.
 */
import type { Parents, Text } from 'mdast';
import type { Handle, Info, State, Unsafe } from 'mdast-util-to-markdown';

interface PatternIndex {
  /** The distinct characters patterns name; at most 62 (58 with the extensions used). */
  characters: string[];
  /**
   * The bit of each ASCII character patterns name, 0 for the others: characters 0–30 in `low`, 31–61 in `high`
   * (two 31-bit masks: small integers, cheap to combine and to use as map keys).
   */
  low: Int32Array;
  high: Int32Array;
  /** The characters outside ASCII patterns name, with their bits. */
  others: { character: string; low: number; high: number }[];
  /** Subsets of `state.unsafe` already built, by low mask, then high mask. */
  subsets: Map<number, Map<number, Unsafe[]>>;
}

/** Per `state.unsafe` array (the serializer builds one for each `toMarkdown` call); `null`: more than 62 characters. */
const indexes = new WeakMap<Unsafe[], PatternIndex | null>();

function indexOf(patterns: Unsafe[]): PatternIndex | null {
  let index = indexes.get(patterns);
  if (index === undefined) {
    const characters = [...new Set(patterns.flatMap((p) => (p.character ? [p.character] : [])))];
    index = null;
    if (characters.length <= 62) {
      const low = new Int32Array(128);
      const high = new Int32Array(128);
      const others: PatternIndex['others'] = [];
      characters.forEach((character, i) => {
        const bits = { low: i < 31 ? 1 << i : 0, high: i < 31 ? 0 : 1 << (i - 31) };
        const code = character.charCodeAt(0);
        if (character.length === 1 && code < 128) {
          low[code] = bits.low;
          high[code] = bits.high;
        } else others.push({ character, ...bits });
      });
      index = { characters, low, high, others, subsets: new Map() };
    }
    indexes.set(patterns, index);
  }
  return index;
}

/**
 * The patterns of `patterns` that can escape something in `value`, in their order (a pattern without a character
 * always). All of them when patterns name more than 62 distinct characters (not the case with the extensions used).
 */
export function unsafeFor(patterns: Unsafe[], value: string): Unsafe[] {
  const index = indexOf(patterns);
  if (!index) return patterns;
  let low = 0;
  let high = 0;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 128) {
      low |= index.low[code];
      high |= index.high[code];
    }
  }
  for (const other of index.others) {
    if (value.includes(other.character)) {
      low |= other.low;
      high |= other.high;
    }
  }
  let byHigh = index.subsets.get(low);
  if (!byHigh) index.subsets.set(low, (byHigh = new Map()));
  let subset = byHigh.get(high);
  if (!subset) {
    const has = (i: number) => (i < 31 ? low & (1 << i) : high & (1 << (i - 31))) !== 0;
    const kept = new Set(index.characters.filter((_, i) => has(i)));
    subset = patterns.filter((p) => !p.character || kept.has(p.character));
    byHigh.set(high, subset);
  }
  return subset;
}

/** Wraps the text handler `text` so that its `state.safe` runs only the unsafe patterns the node's value can meet. */
export function withUnsafeSubset(text: Handle): Handle {
  return ((node: Text, parent: Parents | undefined, state: State, info: Info): string => {
    const all = state.unsafe;
    state.unsafe = unsafeFor(all, node.value);
    try {
      return text(node, parent, state, info);
    } finally {
      state.unsafe = all;
    }
  }) as Handle;
}
