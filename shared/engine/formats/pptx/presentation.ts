/**
 * Slide order comes from `p:sldIdLst` in the presentation part, never from part names: `slide10.xml` may
 * well be shown second.
 */
import { attr, child, childrenNamed, textOf, descendants, type XmlElement } from '../../xml.ts';
import { corrupt } from '../../errors.ts';
import { isFatal, type PptxPackage } from './package.ts';

export interface SlideRef {
  /** 1-based position in the presentation (hidden slides count too, so numbers match what PowerPoint shows). */
  number: number;
  part: string;
}

export interface Presentation {
  part: string;
  root: XmlElement;
  slides: SlideRef[];
}

const MAIN_PART = 'ppt/presentation.xml';

/** Locate the presentation part through the package relationships (falling back to the usual name). */
function presentationPart(pkg: PptxPackage): string {
  for (const rel of pkg.rels('').values()) {
    if (rel.type === 'officeDocument' && !rel.external) return rel.target;
  }
  return MAIN_PART;
}

export function readPresentation(pkg: PptxPackage): Presentation {
  const part = presentationPart(pkg);
  const root = pkg.xml(part) ?? (part !== MAIN_PART ? pkg.xml(MAIN_PART) : undefined);
  if (!root) throw corrupt('PPTX package has no presentation part');
  const rels = pkg.rels(part);
  const slides: SlideRef[] = [];
  const seen = new Set<string>();
  for (const id of childrenNamed(child(root, 'p:sldIdLst'), 'p:sldId')) {
    const rel = rels.get(attr(id, 'r:id') ?? '');
    if (!rel || rel.external || seen.has(rel.target)) continue;
    seen.add(rel.target);
    slides.push({ number: slides.length + 1, part: rel.target });
  }
  return { part, root, slides };
}

/** `dc:title` from the core properties, if it says anything. */
export function coreTitle(pkg: PptxPackage): string | undefined {
  let corePart = 'docProps/core.xml';
  for (const rel of pkg.rels('').values()) {
    if (rel.type === 'core-properties' && !rel.external) corePart = rel.target;
  }
  let core: XmlElement | undefined;
  try {
    core = pkg.xml(corePart);
  } catch (error) {
    if (isFatal(error)) throw error;
    return undefined;
  }
  if (!core) return undefined;
  const title = descendants(core, 'dc:title')[0];
  const value = title ? textOf(title).replace(/\s+/g, ' ').trim() : '';
  return value || undefined;
}
