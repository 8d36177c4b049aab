/**
 * The file name a result is downloaded as (`Content-Disposition`), from the name the client gave at upload.
 * That name is untrusted: it may carry a path (`../../etc/x.docx`, `C:\\Users\\x.docx`) a browser or a
 * client's `-O` could honour, or Unicode bidirectional controls that make `exe.md` display as `dm.exe`
 * (CVE-2021-42574's "Trojan Source" class; the characters are the explicit formatting marks of UAX #9).
 * Only the last path component is kept, controls and bidi marks are removed, the extension is replaced.
 */

// C0 and C1 controls, DEL; ALM, LRM, RLM; LRE..RLO; LRI..PDI (UAX #9 explicit formatting characters).
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** A UTF-16 surrogate without its other half (matched per code unit: no `u` flag). */
export const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * `report.docx` + `md` → `report.md`. Never empty (`result.<ext>`), at most 200 code points before the extension,
 * always well-formed UTF-16 (a lone surrogate becomes U+FFFD), so it can be percent-encoded as UTF-8.
 */
export function downloadName(uploaded: string, extension: string): string {
  const last = uploaded.split(/[/\\]/).pop() ?? '';
  // A lone surrogate (JSON lets `\ud800` through) has no UTF-8 form: `encodeURIComponent` throws on it.
  const clean = last.replace(LONE_SURROGATE, '\ufffd').replace(UNSAFE, '').trim();
  const base = clean.replace(/\.[^.]*$/, '').replace(/^[.\s]+|[.\s]+$/g, '');
  // Cut by code points, not UTF-16 units, so the cut never leaves half a surrogate pair (an emoji) behind.
  return `${Array.from(base).slice(0, 200).join('') || 'result'}.${extension}`;
}
