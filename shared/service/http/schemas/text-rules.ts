/**
 * What a name or a line of text given to the API may not contain, shared by every request schema so that a
 * file name, an API key name and a display name are held to one rule.
 *
 * - C0 controls and DEL (U+0000–U+001F, U+007F) and C1 controls (U+0080–U+009F): no printable form; NUL ends
 *   strings in other systems, and line breaks in a name break headers and CSV rows.
 * - Bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): they reorder the text
 *   around them when displayed, so "invoice\u202Efdp.exe" shows as "invoiceexe.pdf" (Unicode TR #36, "Unicode
 *   Security Considerations", section 2.1; CVE-2021-42574, "Trojan Source"). The implicit marks LRM/RLM
 *   (U+200E, U+200F), which right-to-left names may need, stay allowed.
 *
 * Free text that may span lines (a question) allows tab, line feed and carriage return.
 */
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const CONTROLS_BUT_LINE_BREAKS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** True when `s` holds none of the characters above: for names and other one-line values. */
export const noControlChars = (s: string): boolean => !CONTROLS.test(s);

/** The same, allowing tab, line feed and carriage return: for free text such as a question. */
export const noControlCharsButLineBreaks = (s: string): boolean => !CONTROLS_BUT_LINE_BREAKS.test(s);

/** The message a refusal gives. */
export const CONTROL_CHARS_MESSAGE = 'must not contain control or bidirectional-override characters';
