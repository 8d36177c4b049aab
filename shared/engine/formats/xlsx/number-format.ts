/**
 * Cell numbers → display text. Spreadsheets store dates, times and percentages as plain numbers whose meaning
 * lives in the number format; everything else is shown as the shortest faithful decimal (no `.0`, no binary
 * floating noise such as 0.30000000000000004). Shared by the XLSX and XLS readers.
 */

/** Built-in number formats that matter for display (ECMA-376 §18.8.30); the rest display as General. */
const BUILTIN_FORMATS: Record<number, string> = {
  9: '0%',
  10: '0.00%',
  14: 'yyyy-mm-dd',
  15: 'd-mmm-yy',
  16: 'd-mmm',
  17: 'mmm-yy',
  18: 'h:mm AM/PM',
  19: 'h:mm:ss AM/PM',
  20: 'h:mm',
  21: 'h:mm:ss',
  22: 'yyyy-mm-dd h:mm',
  45: 'mm:ss',
  46: '[h]:mm:ss',
  47: 'mm:ss.0',
};
// Locale-dependent built-in date formats (CJK installs): dates whatever their exact pattern.
for (const id of [27, 28, 29, 30, 31, 34, 35, 36, 50, 51, 52, 53, 54, 57, 58]) BUILTIN_FORMATS[id] = 'yyyy-mm-dd';
for (const id of [32, 33, 55, 56]) BUILTIN_FORMATS[id] = 'h:mm:ss';

/** Format code for a numFmtId, custom codes first (files may redefine built-in ids). */
export function formatCodeFor(id: number, custom: ReadonlyMap<number, string>): string {
  return custom.get(id) ?? BUILTIN_FORMATS[id] ?? 'General';
}

export type NumberKind = 'general' | 'date' | 'percent';

export interface NumberFormat {
  kind: NumberKind;
  /** For dates: which parts the format shows. */
  hasDate?: boolean;
  hasTime?: boolean;
  hasSeconds?: boolean;
  /** For elapsed-time formats like `[h]:mm:ss`: hours may exceed 24. */
  elapsed?: boolean;
  /** For percentages: decimals after the point. */
  decimals?: number;
}

const cache = new Map<string, NumberFormat>();

/** Classify a format code once (codes repeat across thousands of cells). */
export function classifyFormat(code: string): NumberFormat {
  let hit = cache.get(code);
  if (!hit) {
    hit = classify(code);
    if (cache.size < 10_000) cache.set(code, hit);
  }
  return hit;
}

function classify(code: string): NumberFormat {
  // Only the first section (positive numbers) decides how a value looks.
  const section = firstSection(code);
  const elapsed = /\[(h+|m+|s+)\]/i.test(section);
  // Drop literals and bracketed modifiers ([Red], [$-409], [>100]) so their letters do not count.
  const literalsDropped = section
    .replace(/"[^"]*"/g, '')
    .replace(/\\./g, '')
    .replace(/_./g, '')
    .replace(/\*./g, '');
  const bare = withoutModifiers(literalsDropped).replace(/E[+-]/gi, '');
  if (/^general$/i.test(bare.trim()) || bare.trim() === '') return { kind: 'general' };
  if (/[yde]/i.test(bare) || /[hs]/i.test(bare) || /m/i.test(bare.replace(/AM\/PM|A\/P/gi, ''))) {
    const lower = bare.replace(/AM\/PM|A\/P/gi, '').toLowerCase();
    const hasTime = /[hs]/.test(lower) || elapsed;
    // `m` next to h or s means minutes; otherwise it is a month.
    const hasDate = /[yde]/.test(lower) || (/m/.test(lower) && !hasTime);
    if (hasDate || hasTime) return { kind: 'date', hasDate, hasTime, hasSeconds: /s/.test(lower), elapsed };
  }
  if (bare.includes('%')) {
    const m = /\.([0#?]+)/.exec(bare);
    return { kind: 'percent', decimals: m ? m[1].length : 0 };
  }
  return { kind: 'general' };
}

/**
 * `code` without its bracketed parts (`[Red]`, `[$-409]`, `[>100]`), keeping the inner text of elapsed-time
 * ones (`[h]` → `h`). A bracket opens a part only when a `]` follows; the part runs to the first one. Scanned by
 * hand, with the results of `code.replace(/\[([^\]]*)\]/g, …)`: that pattern rescanned to the end from every
 * unclosed `[` (a format code is attribute text of any length: 20,000 `[` took 0.8 s, 200,000 over a minute).
 */
function withoutModifiers(code: string): string {
  let out = '';
  let at = 0;
  for (let open = code.indexOf('['); open >= 0; open = code.indexOf('[', at)) {
    const close = code.indexOf(']', open + 1);
    if (close < 0) break;
    const inner = code.slice(open + 1, close);
    out += code.slice(at, open) + (/^(h+|m+|s+)$/i.test(inner) ? inner : '');
    at = close + 1;
  }
  return out + code.slice(at);
}

function firstSection(code: string): string {
  let inQuote = false;
  for (let i = 0; i < code.length; i++) {
    const ch = code[i];
    if (ch === '"') inQuote = !inQuote;
    else if (ch === '\\') i++;
    else if (ch === ';' && !inQuote) return code.slice(0, i);
  }
  return code;
}

/** Shortest decimal text of a number: integers without `.0`, float noise trimmed to 15 significant digits. */
export function formatGeneral(value: number): string {
  if (!Number.isFinite(value)) return '';
  if (Number.isInteger(value) && Math.abs(value) < 1e21) return String(value);
  const trimmed = Number(value.toPrecision(15));
  return String(Object.is(trimmed, -0) ? 0 : trimmed);
}

const DAY_MS = 86_400_000;
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * Serial day number → ISO-like text. The 1900 system counts 1900-02-29, a day that never existed (a Lotus
 * compatibility bug Excel kept), so serials after it are one day late; 1904 counts from 1904-01-01.
 */
export function formatSerialDate(serial: number, format: NumberFormat, date1904: boolean): string {
  if (!Number.isFinite(serial) || serial < 0 || serial > 2_958_466) return formatGeneral(serial);
  let days = Math.floor(serial);
  let seconds = Math.round((serial - days) * 86_400);
  if (seconds >= 86_400) {
    days += 1;
    seconds -= 86_400;
  }
  let datePart: string;
  if (date1904) {
    datePart = isoDay(Date.UTC(1904, 0, 1) + days * DAY_MS);
  } else if (days === 60) {
    datePart = '1900-02-29';
  } else {
    // Serial 1 is 1900-01-01; serial 0 shows as 1900-01-00 in Excel, mapped to the day before here.
    datePart = isoDay(Date.UTC(1899, 11, days < 60 ? 31 : 30) + days * DAY_MS);
  }
  const h = Math.floor(seconds / 3600);
  const time = `${pad(h)}:${pad(Math.floor((seconds % 3600) / 60))}${format.hasSeconds ? `:${pad(seconds % 60)}` : ''}`;
  if (format.elapsed && !format.hasDate) {
    const totalHours = days * 24 + h;
    return `${totalHours}:${pad(Math.floor((seconds % 3600) / 60))}${format.hasSeconds ? `:${pad(seconds % 60)}` : ''}`;
  }
  if (format.hasDate && format.hasTime) return `${datePart} ${time}`;
  if (format.hasTime) return time;
  return datePart;
}

function isoDay(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** A number as it should read in Markdown, given its format. */
export function formatNumber(value: number, format: NumberFormat, date1904: boolean): string {
  if (format.kind === 'date') return formatSerialDate(value, format, date1904);
  if (format.kind === 'percent') {
    const pct = value * 100;
    const decimals = format.decimals ?? 0;
    return `${pct.toFixed(Math.min(decimals, 20))}%`;
  }
  return formatGeneral(value);
}
