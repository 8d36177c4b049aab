/**
 * Form fields: what a filled-in Word form shows, as text.
 *
 * - Legacy form fields (ECMA-376 Part 1 §17.16.17 `w:ffData`, inside the `begin` `w:fldChar` of a FORMCHECKBOX,
 *   FORMTEXT or FORMDROPDOWN field). A check box's state lives only in `w:checkBox` (`w:checked`, else
 *   `w:default`): Word draws the box itself and the field result is empty. A text input shows its field result;
 *   `w:textInput/w:default` is what an empty result holds. A drop-down shows the entry at `w:ddList/w:result`
 *   (else `w:default`, else the first).
 * - Content-control check boxes (`w14:checkbox` in `w:sdtPr`, Word 2010, inline or wrapping whole paragraphs —
 *   the block form is handled in `body.ts`): `w14:checked` is the state; the
 *   content holds a glyph in whatever font the author picked, so the state is written instead of that glyph.
 *
 * Check boxes are written ☐ (U+2610) and ☒ (U+2612), which read the same in every Markdown renderer.
 */
import type { XmlElement } from '../../xml.ts';
import { attr, child, childrenNamed, elements, localName } from '../../xml.ts';

export const UNCHECKED = '\u2610';
export const CHECKED = '\u2612';

/** A legacy form field read from its `w:ffData`. `value` is what the field shows when its result is empty. */
export interface FormField {
  kind: 'checkBox' | 'textInput' | 'dropDown';
  value: string;
}

/** OOXML on/off values (§17.17.4 ST_OnOff): absent `val` means on. */
function onOff(el: XmlElement | undefined): boolean | undefined {
  if (!el) return undefined;
  const v = attr(el, 'val');
  return v === undefined || v === '1' || v === 'true' || v === 'on';
}

/** The form field a `w:fldChar` begins, or undefined when it carries no `w:ffData`. */
export function readFormField(fldChar: XmlElement): FormField | undefined {
  const ffData = child(fldChar, 'ffData');
  if (!ffData) return undefined;
  const checkBox = child(ffData, 'checkBox');
  if (checkBox) {
    const checked = onOff(child(checkBox, 'checked')) ?? onOff(child(checkBox, 'default')) ?? false;
    return { kind: 'checkBox', value: checked ? CHECKED : UNCHECKED };
  }
  const ddList = child(ffData, 'ddList');
  if (ddList) {
    const entries = childrenNamed(ddList, 'listEntry').map((e) => attr(e, 'val') ?? '');
    const index = [attr(child(ddList, 'result'), 'val'), attr(child(ddList, 'default'), 'val')]
      .map(Number)
      .find((n) => Number.isInteger(n) && n >= 0 && n < entries.length);
    return { kind: 'dropDown', value: entries[index ?? 0] ?? '' };
  }
  const textInput = child(ffData, 'textInput');
  if (textInput) return { kind: 'textInput', value: attr(child(textInput, 'default'), 'val') ?? '' };
  return undefined;
}

/** The state of a content-control check box (`w:sdt` whose `w:sdtPr` has `w14:checkbox`), else undefined. */
export function contentControlCheckbox(sdt: XmlElement): string | undefined {
  const sdtPr = child(sdt, 'sdtPr');
  if (!sdtPr) return undefined;
  for (const el of elements(sdtPr)) {
    if (localName(el.name) !== 'checkbox') continue;
    const checked = child(el, 'checked');
    // `w14:checked` uses ST_OnOff like the rest of WordprocessingML, but its val is required.
    const v = attr(checked, 'val');
    return v === '1' || v === 'true' || v === 'on' ? CHECKED : UNCHECKED;
  }
  return undefined;
}
