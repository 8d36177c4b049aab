/**
 * Section numbers as RFPs and contracts write them at the start of a heading: decimal outlines (`3`, `3.2.1`),
 * lettered sections as in the US Uniform Contract Format (`C.3`, `L.4.2`, `Section M`), roman numerals (`IV.`),
 * and `Section 4` / `Article 12` / `Part II` / `Clause 7` prefixes.
 */
const LABELLED =
  /^(?:section|article|part|clause|chapter|annex|appendix|attachment|exhibit|schedule)\s+([A-Z0-9]+(?:[.-][A-Z0-9]+)*)\b/i;
const DECIMAL = /^((?:[A-Z]\.)?\d+(?:\.\d+)*)(?:\.|\)|:|\s|$)/;
const ROMAN = /^([IVXLC]+)[.):]\s/;
const LETTER = /^([A-Z])[.)]\s/;

/** The number a heading starts with (`3.2` of "3.2 Technical Approach"), or undefined. */
export function sectionNumber(heading: string): string | undefined {
  const text = heading.trim();
  const m = LABELLED.exec(text) ?? DECIMAL.exec(text) ?? ROMAN.exec(text) ?? LETTER.exec(text);
  return m ? m[1] : undefined;
}
