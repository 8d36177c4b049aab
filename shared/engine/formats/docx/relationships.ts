/** Package relationships (`_rels/*.rels`): how a part names its images, links, notes and headers. */
import type { XmlElement } from '../../xml.ts';
import { attr, elements, localName } from '../../xml.ts';
import { resolvePartPath } from '../../zip.ts';

export interface Relationship {
  id: string;
  /** Last segment of the type URI (`image`, `hyperlink`, `footnotes`…): Strict and Transitional differ only before it. */
  kind: string;
  /** Resolved part path for internal targets, the raw target for external ones. */
  target: string;
  external: boolean;
}

export type Relationships = Map<string, Relationship>;

/** `word/document.xml` → `word/_rels/document.xml.rels`. */
export function relsPathFor(part: string): string {
  const slash = part.lastIndexOf('/');
  return `${part.slice(0, slash + 1)}_rels/${part.slice(slash + 1)}.rels`;
}

export function parseRelationships(xml: XmlElement | undefined, fromPart: string): Relationships {
  const rels: Relationships = new Map();
  if (!xml) return rels;
  for (const el of elements(xml)) {
    if (localName(el.name) !== 'Relationship') continue;
    const id = attr(el, 'Id');
    const target = attr(el, 'Target');
    if (!id || target === undefined) continue;
    const external = attr(el, 'TargetMode') === 'External';
    const type = attr(el, 'Type') ?? '';
    rels.set(id, {
      id,
      kind: type.slice(type.lastIndexOf('/') + 1),
      target: external ? target : resolvePartPath(fromPart, safeDecode(target)),
      external,
    });
  }
  return rels;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
