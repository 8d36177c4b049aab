/** Reading parts of the XLSX package: relationships, workbook, styles, document properties. */
import type { ZipArchive } from '../../zip.ts';
import { resolvePartPath } from '../../zip.ts';
import type { XmlElement } from '../../xml.ts';
import { attr, child, childrenNamed, descendants, parseXml, textOf } from '../../xml.ts';
import { corrupt } from '../../errors.ts';

export interface Relationship {
  type: string;
  target: string;
  external: boolean;
}

/** Entry name as stored, tolerating producers whose references differ in case from the archive. */
export function findPart(zip: ZipArchive, name: string): string | undefined {
  if (zip.has(name)) return name;
  const lower = name.toLowerCase();
  return zip.names().find((n) => n.toLowerCase() === lower);
}

export function readXmlPart(zip: ZipArchive, name: string): XmlElement | undefined {
  const part = findPart(zip, name);
  if (!part) return undefined;
  const source = zip.text(part);
  return source === undefined ? undefined : parseXml(source, { part });
}

/** Relationships of a part, by id; targets resolved to package paths. */
export function readRels(zip: ZipArchive, part: string): Map<string, Relationship> {
  const slash = part.lastIndexOf('/');
  const relsName = `${part.slice(0, slash + 1)}_rels/${part.slice(slash + 1)}.rels`;
  const out = new Map<string, Relationship>();
  const relsRoot = readXmlPart(zip, relsName);
  if (!relsRoot) return out;
  for (const rel of childrenNamed(relsRoot, 'Relationship')) {
    const id = attr(rel, 'Id');
    const target = attr(rel, 'Target');
    if (!id || !target) continue;
    const external = attr(rel, 'TargetMode') === 'External';
    out.set(id, { type: attr(rel, 'Type') ?? '', target: external ? target : resolvePartPath(part, target), external });
  }
  return out;
}

const relType = (rel: Relationship, suffix: string) => rel.type.endsWith(`/${suffix}`);

export interface SheetRef {
  name: string;
  part: string;
  hidden: boolean;
  /** `state` of the sheet: `veryHidden` sheets can only be shown again by a macro. */
  state: 'visible' | 'hidden' | 'veryHidden';
  chartsheet: boolean;
}

export interface WorkbookInfo {
  part: string;
  /** In tab order, each sheet part once (at its first `<sheet>`). */
  sheets: SheetRef[];
  /**
   * `<sheet>` entries dropped because they name a part an earlier one names: a workbook Excel refuses to open,
   * and read as listed a few KB of workbook.xml would convert one sheet thousands of times.
   */
  repeatedSheetRefs: number;
  date1904: boolean;
  sharedStringsPart?: string;
  stylesPart?: string;
}

/** The workbook part (from the package relationships, `xl/workbook.xml` by convention) and its sheets in tab order. */
export function readWorkbook(zip: ZipArchive): WorkbookInfo {
  const pkgRels = readRels(zip, '');
  const officeDoc = [...pkgRels.values()].find((r) => relType(r, 'officeDocument') && !r.external);
  const part = (officeDoc && findPart(zip, officeDoc.target)) ?? findPart(zip, 'xl/workbook.xml');
  if (!part) throw corrupt('XLSX package has no workbook part');
  const wb = readXmlPart(zip, part);
  if (!wb) throw corrupt('XLSX workbook part is unreadable');
  const rels = readRels(zip, part);
  const pr = child(wb, 'workbookPr');
  const flag = attr(pr, 'date1904');
  const sheets: SheetRef[] = [];
  const listed = new Set<string>();
  let repeatedSheetRefs = 0;
  for (const s of childrenNamed(child(wb, 'sheets'), 'sheet')) {
    const rel = rels.get(attr(s, 'r:id') ?? attr(s, 'id') ?? '');
    if (!rel || rel.external) continue;
    if (listed.has(rel.target)) {
      repeatedSheetRefs++;
      continue;
    }
    listed.add(rel.target);
    const state = attr(s, 'state');
    sheets.push({
      name: attr(s, 'name') ?? '',
      part: rel.target,
      hidden: state === 'hidden' || state === 'veryHidden',
      state: state === 'hidden' || state === 'veryHidden' ? state : 'visible',
      chartsheet: relType(rel, 'chartsheet'),
    });
  }
  const byType = (t: string) => [...rels.values()].find((r) => relType(r, t) && !r.external)?.target;
  return {
    part,
    sheets,
    repeatedSheetRefs,
    date1904: flag === '1' || flag === 'true',
    sharedStringsPart: byType('sharedStrings') ?? findPart(zip, 'xl/sharedStrings.xml'),
    stylesPart: byType('styles') ?? findPart(zip, 'xl/styles.xml'),
  };
}

/** `numFmtId` of every cell style (`cellXfs`, indexed by a cell's `s`), and the custom format codes. */
export interface Styles {
  cellFormats: number[];
  customFormats: Map<number, string>;
}

export function readStyles(zip: ZipArchive, part: string | undefined): Styles {
  const styles: Styles = { cellFormats: [], customFormats: new Map() };
  const el = part ? readXmlPart(zip, part) : undefined;
  if (!el) return styles;
  for (const f of childrenNamed(child(el, 'numFmts'), 'numFmt')) {
    const id = Number(attr(f, 'numFmtId'));
    const code = attr(f, 'formatCode');
    if (Number.isInteger(id) && code !== undefined) styles.customFormats.set(id, code);
  }
  for (const xf of childrenNamed(child(el, 'cellXfs'), 'xf'))
    styles.cellFormats.push(Number(attr(xf, 'numFmtId') ?? 0) || 0);
  return styles;
}

/** `dc:title` from the core properties, if any. */
export function readTitle(zip: ZipArchive): string | undefined {
  const pkgRels = readRels(zip, '');
  const core =
    [...pkgRels.values()].find((r) => relType(r, 'core-properties') && !r.external)?.target ?? 'docProps/core.xml';
  const el = readXmlPart(zip, core);
  const title = el ? descendants(el, 'title')[0] : undefined;
  const t = textOf(title).replace(/\s+/g, ' ').trim();
  return t || undefined;
}
