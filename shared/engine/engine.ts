/**
 * The engine, in process: bytes in, result out. Detect → converter → tidy → serialize once.
 * No network, no file system. `sandbox.ts` runs this same function in a worker thread under limits.
 */
import type { ConversionWarning, ConvertOptions, ConvertResult, ConvertLimits, DetectedInput } from './types.ts';
import { DEFAULT_LIMITS } from './types.ts';
import type { Ocr } from './ocr.ts';
import { detectFormat } from './detect.ts';
import { converterFor } from './registry.ts';
import { serialize } from './markdown.ts';
import { ConversionError, asConversionError, unsupported } from './errors.ts';
import { toPlainText } from './mdast.ts';
import { checkCompleteness } from './completeness.ts';
import { COLLECT_AFTER_PAGES, collectGarbage } from './collect-garbage.ts';
import { checkResultSize, resultBudget } from './result-cap.ts';

export interface EngineDeps {
  ocr?: Ocr;
  limits?: Partial<ConvertLimits>;
}

export async function convert(
  bytes: Uint8Array,
  options: ConvertOptions = {},
  deps: EngineDeps = {},
): Promise<ConvertResult> {
  const detected = detectFormat(bytes, options.fileName);
  return convertDetected(bytes, detected, options, deps);
}

export async function convertDetected(
  bytes: Uint8Array,
  detected: DetectedInput,
  options: ConvertOptions = {},
  deps: EngineDeps = {},
): Promise<ConvertResult> {
  const converter = await converterFor(detected.format);
  if (!converter?.accepts(detected)) throw unsupported(`no converter for ${detected.mediaType}`);
  const warnings: ConversionWarning[] = [];
  const limits = { ...DEFAULT_LIMITS, ...deps.limits };
  const budget = resultBudget(bytes.length, limits);
  let tree;
  try {
    tree = await converter.convert(
      { bytes, detected },
      {
        options,
        limits,
        ocr: options.ocr === false ? undefined : deps.ocr,
        warn: (w) => warnings.push(w),
        resultBudget: budget,
      },
    );
  } catch (error) {
    throw asConversionError(error);
  }
  // What the converter built besides the tree is garbage now; collect it before serializing allocates more.
  if ((tree.pageCount ?? 0) >= COLLECT_AFTER_PAGES) collectGarbage();
  const serialized = serialize(tree.root, {
    pageSeparators: options.pageSeparators,
    embedImages: options.embedImages,
  });
  const { markdown } = serialized;
  checkResultSize(markdown, budget, bytes.length);
  // A single-page source without page breaks (an image) is its one page for the completeness check.
  const pages =
    serialized.pages ?? (tree.pageSources?.length === 1 ? [{ page: tree.pageSources[0].page, markdown }] : undefined);
  if (tree.pageSources && pages) {
    const { figures, warnings: found } = checkCompleteness(tree.pageSources, pages);
    const scripts = new Map(tree.pageSources.flatMap((s) => (s.script ? [[s.page, s.script] as const] : [])));
    for (const p of pages) {
      const figure = figures.get(p.page);
      if (figure) p.completeness = figure;
      const script = scripts.get(p.page);
      if (script) p.script = script;
    }
    warnings.push(...found);
  }
  if (
    !markdown.trim() &&
    !warnings.some((w) => ['needs_ocr', 'ocr_failed', 'page_failed', 'garbled_text'].includes(w.code))
  ) {
    warnings.push({ code: 'part_unreadable', message: 'the document produced no text' });
  }
  const title = cleanTitle(tree.title) ?? firstHeading(tree.root);
  return {
    format: detected.format,
    mediaType: detected.mediaType,
    markdown,
    ...(title ? { title } : {}),
    ...(tree.pageCount !== undefined ? { pageCount: tree.pageCount } : {}),
    ...(pages ? { pages } : {}),
    ...(tree.ocrPages?.length ? { ocrPages: tree.ocrPages } : {}),
    warnings: dedupeWarnings(warnings),
  };
}

function cleanTitle(title: string | undefined): string | undefined {
  const t = title?.replace(/\s+/g, ' ').trim();
  return t ? t.slice(0, 500) : undefined;
}

function firstHeading(root: ConvertResultTree): string | undefined {
  const h = root.children.find((c) => c.type === 'heading');
  return h ? cleanTitle(toPlainText(h)) : undefined;
}
type ConvertResultTree = import('mdast').Root;

/** Many identical warnings (one per cell, say) become one with a count. */
function dedupeWarnings(warnings: ConversionWarning[]): ConversionWarning[] {
  const seen = new Map<string, { w: ConversionWarning; n: number }>();
  for (const w of warnings) {
    const key = `${w.code}\u0000${w.message}\u0000${w.page ?? ''}`;
    const hit = seen.get(key);
    if (hit) hit.n++;
    else seen.set(key, { w: { ...w }, n: 1 });
  }
  return [...seen.values()].map(({ w, n }) => (n > 1 ? { ...w, message: `${w.message} (×${n})` } : w));
}

export { ConversionError };
/** Pages/slides of a PDF/PPTX without converting it (run in the sandbox: `ConverterPool.countPages`). */
export { countPages } from './count-pages.ts';
