/**
 * The PPTX package: parts parsed once and cached, relationships resolved to part names.
 * Parsing failures of one part surface as typed errors; callers decide whether that part is optional.
 */
import { TextDecoder } from 'node:util';
import { ZipArchive, resolvePartPath } from '../../zip.ts';
import { parseXml, childrenNamed, attr, type XmlElement } from '../../xml.ts';
import type { ConvertLimits } from '../../types.ts';
import { ConversionError } from '../../errors.ts';

export interface Relationship {
  id: string;
  /** Last segment of the relationship type URI: `slide`, `slideLayout`, `notesSlide`, `image`, `chart`, … */
  type: string;
  /** Part name inside the package, or the raw target when external. */
  target: string;
  external: boolean;
}

export class PptxPackage {
  private readonly zip: ZipArchive;
  private readonly parts = new Map<string, XmlElement | null>();
  private readonly relsCache = new Map<string, Map<string, Relationship>>();

  constructor(bytes: Uint8Array, limits: ConvertLimits) {
    this.zip = new ZipArchive(bytes, {
      maxEntryBytes: limits.maxEntryBytes,
      maxInflatedBytes: limits.maxInflatedBytes,
    });
  }

  has(part: string): boolean {
    return this.zip.has(part);
  }

  /** Raw bytes of a part (media), within the package's inflation limits. */
  read(part: string): Uint8Array | undefined {
    return this.zip.read(part);
  }

  /** Parsed XML of a part, or undefined when the part is absent. Malformed XML throws. */
  xml(part: string): XmlElement | undefined {
    if (this.parts.has(part)) return this.parts.get(part) ?? undefined;
    const data = this.zip.read(part);
    const source = data === undefined ? undefined : decodePart(data);
    const parsed = source === undefined ? null : parseXml(source, { part });
    this.parts.set(part, parsed);
    return parsed ?? undefined;
  }

  /** Relationships of a part, keyed by id. A missing or unreadable .rels means no relationships. */
  rels(part: string): Map<string, Relationship> {
    const cached = this.relsCache.get(part);
    if (cached) return cached;
    const slash = part.lastIndexOf('/');
    const relsPart = `${part.slice(0, slash + 1)}_rels/${part.slice(slash + 1)}.rels`;
    const out = new Map<string, Relationship>();
    const doc = this.xml(relsPart);
    for (const rel of childrenNamed(doc, 'Relationship')) {
      const id = attr(rel, 'Id');
      const target = attr(rel, 'Target');
      if (!id || target === undefined) continue;
      const external = attr(rel, 'TargetMode') === 'External';
      const type = (attr(rel, 'Type') ?? '').split('/').pop() ?? '';
      out.set(id, { id, type, external, target: external ? target : resolvePartPath(part, target) });
    }
    this.relsCache.set(part, out);
    return out;
  }

  /** The first internal relationship of a given type (a slide's layout, a layout's master, a slide's notes). */
  relOfType(part: string, type: string): Relationship | undefined {
    for (const rel of this.rels(part).values()) if (rel.type === type && !rel.external) return rel;
    return undefined;
  }
}

// One decoder each, reused: creating a TextDecoder per part costs more than decoding a small part.
const utf8 = new TextDecoder('utf-8');
let utf16le: TextDecoder | undefined;
let utf16be: TextDecoder | undefined;

/** XML parts are UTF-8 unless a UTF-16 byte-order mark says otherwise. */
function decodePart(data: Uint8Array): string {
  if (data[0] === 0xff && data[1] === 0xfe) return (utf16le ??= new TextDecoder('utf-16le')).decode(data.subarray(2));
  if (data[0] === 0xfe && data[1] === 0xff) return (utf16be ??= new TextDecoder('utf-16be')).decode(data.subarray(2));
  const text = utf8.decode(data);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Errors no single part may swallow: the whole package is too big, or locked. */
export function isFatal(error: unknown): boolean {
  return error instanceof ConversionError && (error.code === 'too_large' || error.code === 'encrypted');
}
