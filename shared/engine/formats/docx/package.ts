/**
 * The DOCX package: the ZIP container, its XML parts parsed on demand, and the relationships between them.
 * The main document part is required (missing → `corrupt`); any other part that fails to parse is a warning,
 * except a DOCTYPE, which is hostile and refuses the whole document.
 */
import type { ConvertContext } from '../../types.ts';
import { ZipArchive } from '../../zip.ts';
import type { XmlElement } from '../../xml.ts';
import { parseXml } from '../../xml.ts';
import { ConversionError, corrupt } from '../../errors.ts';
import type { Relationships } from './relationships.ts';
import { parseRelationships, relsPathFor } from './relationships.ts';

export class DocxPackage {
  readonly zip: ZipArchive;
  readonly mainPart: string;
  /** `_rels/.rels`: the main document and the core properties. */
  readonly packageRelationships: Relationships;
  private readonly ctx: ConvertContext;
  private readonly relsCache = new Map<string, Relationships>();

  constructor(bytes: Uint8Array, ctx: ConvertContext) {
    this.ctx = ctx;
    this.zip = new ZipArchive(bytes, {
      maxEntryBytes: ctx.limits.maxEntryBytes,
      maxInflatedBytes: ctx.limits.maxInflatedBytes,
    });
    this.packageRelationships = parseRelationships(this.optionalXml('_rels/.rels'), '');
    this.mainPart = this.findMainPart();
  }

  /** The main document part from the package relationships, else the conventional name. */
  private findMainPart(): string {
    for (const rel of this.packageRelationships.values()) {
      if (!rel.external && rel.kind === 'officeDocument' && this.zip.has(rel.target)) return rel.target;
    }
    if (this.zip.has('word/document.xml')) return 'word/document.xml';
    throw corrupt('DOCX package has no main document part (word/document.xml)');
  }

  /** The main document, parsed; any failure here is fatal. */
  document(): XmlElement {
    const text = this.zip.text(this.mainPart);
    if (text === undefined) throw corrupt(`DOCX part ${this.mainPart} is missing`);
    return parseXml(text, { part: this.mainPart, textBudget: this.ctx.resultBudget });
  }

  /** A secondary part, or undefined when absent or unreadable (with a warning). */
  optionalXml(part: string): XmlElement | undefined {
    if (!this.zip.has(part)) return undefined;
    try {
      const text = this.zip.text(part);
      return text === undefined ? undefined : parseXml(text, { part, textBudget: this.ctx.resultBudget });
    } catch (error) {
      if (error instanceof ConversionError && (error.code !== 'corrupt' || /DOCTYPE/.test(error.message))) throw error;
      this.ctx.warn({ code: 'part_unreadable', message: `${part}: ${(error as Error).message}` });
      return undefined;
    }
  }

  relationships(part: string): Relationships {
    let rels = this.relsCache.get(part);
    if (!rels) {
      rels = parseRelationships(this.optionalXml(relsPathFor(part)), part);
      this.relsCache.set(part, rels);
    }
    return rels;
  }

  /** The first internal target of that relationship kind from the main part (`styles`, `numbering`, `footnotes`…). */
  relatedPart(kind: string, fallback: string): string | undefined {
    for (const rel of this.relationships(this.mainPart).values()) {
      if (!rel.external && rel.kind === kind && this.zip.has(rel.target)) return rel.target;
    }
    return this.zip.has(fallback) ? fallback : undefined;
  }
}
