/**
 * The file name a result is downloaded as (`Content-Disposition`), from the name the client gave at upload.
 * That name is untrusted: it may carry a path (`../../etc/x.docx`, `C:\\Users\\x.docx`) a browser or a
 * client's `-O` could honour, or Unicode bidirectional controls that make `exe.md` display as `dm.exe`
 * (CVE-2021-42574's "Trojan Source" class; the characters are the explicit formatting marks of UAX #9).
 * Only the last path component is kept, controls and bidi marks are removed, the extension is replaced.
 */

// C0 and C1 controls, DEL; ALM, LRM, RLM; LRE..RLO; LRI..PDI (UAX #9 explicit formatting characters).
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * `report.docx` + `md` → `report.md`. Never empty (`result.<ext>`), at most 200 characters before the extension.
 */
export function downloadName(uploaded: string, extension: string): string {
  const last = uploaded.split(/[/\\]/).pop() ?? '';
  const clean = last.replace(UNSAFE, '').trim();
  const base = clean
    .replace(/\.[^.]*$/, '')
    .replace(/^[.\s]+|[.\s]+$/g, '')
    .slice(0, 200);
  return `${base || 'result'}.${extension}`;
}
