/**
 * Office Math (OMML, `m:oMath`) → LaTeX, for DOCX paragraphs and PPTX text (where it sits in `a14:m`).
 * OMML is a tree of layout objects (fraction, script, radical, n-ary, delimiter, …) whose arguments are `m:e`,
 * `m:num`, `m:sub`…; each maps onto one LaTeX construct.
 * Elements are matched on local names so Strict and Transitional namespaces both work.
 */
import type { XmlElement } from '../../xml.ts';
import { attr, child, elements, localName, textOf } from '../../xml.ts';

/** Unicode math symbols with a LaTeX command of their own. */
const SYMBOLS: Record<string, string> = {
  α: '\\alpha',
  β: '\\beta',
  γ: '\\gamma',
  δ: '\\delta',
  ε: '\\epsilon',
  ϵ: '\\epsilon',
  ζ: '\\zeta',
  η: '\\eta',
  θ: '\\theta',
  ϑ: '\\vartheta',
  ι: '\\iota',
  κ: '\\kappa',
  λ: '\\lambda',
  μ: '\\mu',
  ν: '\\nu',
  ξ: '\\xi',
  π: '\\pi',
  ϖ: '\\varpi',
  ρ: '\\rho',
  ϱ: '\\varrho',
  σ: '\\sigma',
  ς: '\\varsigma',
  τ: '\\tau',
  υ: '\\upsilon',
  φ: '\\phi',
  ϕ: '\\phi',
  χ: '\\chi',
  ψ: '\\psi',
  ω: '\\omega',
  Γ: '\\Gamma',
  Δ: '\\Delta',
  Θ: '\\Theta',
  Λ: '\\Lambda',
  Ξ: '\\Xi',
  Π: '\\Pi',
  Σ: '\\Sigma',
  Υ: '\\Upsilon',
  Φ: '\\Phi',
  Ψ: '\\Psi',
  Ω: '\\Omega',
  '∞': '\\infty',
  '±': '\\pm',
  '∓': '\\mp',
  '×': '\\times',
  '÷': '\\div',
  '·': '\\cdot',
  '⋅': '\\cdot',
  '≤': '\\leq',
  '≥': '\\geq',
  '≠': '\\neq',
  '≈': '\\approx',
  '≡': '\\equiv',
  '∼': '\\sim',
  '≃': '\\simeq',
  '≅': '\\cong',
  '∝': '\\propto',
  '≪': '\\ll',
  '≫': '\\gg',
  '→': '\\rightarrow',
  '←': '\\leftarrow',
  '↔': '\\leftrightarrow',
  '⇒': '\\Rightarrow',
  '⇐': '\\Leftarrow',
  '⇔': '\\Leftrightarrow',
  '↦': '\\mapsto',
  '∂': '\\partial',
  '∇': '\\nabla',
  '∈': '\\in',
  '∉': '\\notin',
  '∋': '\\ni',
  '⊂': '\\subset',
  '⊃': '\\supset',
  '⊆': '\\subseteq',
  '⊇': '\\supseteq',
  '∪': '\\cup',
  '∩': '\\cap',
  '∀': '\\forall',
  '∃': '\\exists',
  '¬': '\\neg',
  '∧': '\\wedge',
  '∨': '\\vee',
  '∅': '\\emptyset',
  '…': '\\ldots',
  '⋯': '\\cdots',
  '⋮': '\\vdots',
  '⋱': '\\ddots',
  '∘': '\\circ',
  '°': '^{\\circ}',
  '′': '\\prime',
  '″': '\\prime\\prime',
  ℏ: '\\hbar',
  ℓ: '\\ell',
  ℝ: '\\mathbb{R}',
  ℕ: '\\mathbb{N}',
  ℤ: '\\mathbb{Z}',
  ℚ: '\\mathbb{Q}',
  ℂ: '\\mathbb{C}',
  '⊕': '\\oplus',
  '⊗': '\\otimes',
  '⊥': '\\perp',
  '∥': '\\parallel',
  '∠': '\\angle',
  '△': '\\triangle',
  '√': '\\surd',
  '∑': '\\sum',
  '∏': '\\prod',
  '∐': '\\coprod',
  '∫': '\\int',
  '∬': '\\iint',
  '∭': '\\iiint',
  '∮': '\\oint',
  '⋃': '\\bigcup',
  '⋂': '\\bigcap',
  '⋁': '\\bigvee',
  '⋀': '\\bigwedge',
  '−': '-',
  '∗': '*',
  '⟨': '\\langle',
  '⟩': '\\rangle',
  '⌈': '\\lceil',
  '⌉': '\\rceil',
  '⌊': '\\lfloor',
  '⌋': '\\rfloor',
  '‖': '\\|',
  '∣': '|',
  '\u2061': '',
  '\u2062': '',
  '\u2063': '',
  '\u200b': '',
};

/** Function names LaTeX typesets upright with a command of their own. */
const FUNCTIONS = new Set([
  'sin',
  'cos',
  'tan',
  'cot',
  'sec',
  'csc',
  'arcsin',
  'arccos',
  'arctan',
  'sinh',
  'cosh',
  'tanh',
  'coth',
  'log',
  'ln',
  'lg',
  'exp',
  'lim',
  'liminf',
  'limsup',
  'max',
  'min',
  'sup',
  'inf',
  'det',
  'dim',
  'ker',
  'deg',
  'gcd',
  'arg',
  'hom',
  'Pr',
]);

const ACCENTS: Record<string, string> = {
  '\u0302': '\\hat',
  '\u0303': '\\tilde',
  '\u0307': '\\dot',
  '\u0308': '\\ddot',
  '\u20d7': '\\vec',
  '\u0304': '\\bar',
  '\u0305': '\\overline',
  '\u0301': '\\acute',
  '\u0300': '\\grave',
  '\u0306': '\\breve',
  '\u030c': '\\check',
  '\u20d6': '\\overleftarrow',
  '\u20e1': '\\overleftrightarrow',
};

const DELIMITERS: Record<string, string> = {
  '(': '(',
  ')': ')',
  '[': '[',
  ']': ']',
  '{': '\\{',
  '}': '\\}',
  '|': '|',
  '‖': '\\|',
  '⟨': '\\langle',
  '⟩': '\\rangle',
  '⌈': '\\lceil',
  '⌉': '\\rceil',
  '⌊': '\\lfloor',
  '⌋': '\\rfloor',
  '〈': '\\langle',
  '〉': '\\rangle',
};

/** LaTeX for one `m:oMath` (or `m:oMathPara`, whose equations are joined as separate lines). */
export function ommlToLatex(el: XmlElement): string {
  if (localName(el.name) === 'oMathPara') {
    return elements(el)
      .filter((c) => localName(c.name) === 'oMath')
      .map((m) => tidy(convertChildren(m)))
      .join(' \\\\ ');
  }
  return tidy(convertChildren(el));
}

function tidy(latex: string): string {
  return latex.replace(/\s+/g, ' ').trim();
}

const val = (el: XmlElement | undefined, name: string): string | undefined => attr(child(el, name), 'val');

function convertChildren(el: XmlElement | undefined): string {
  if (!el) return '';
  let out = '';
  for (const c of elements(el)) out = join(out, convert(c));
  return out;
}

/** Concatenate, keeping a command name (`\alpha`) from swallowing the letters that follow it. */
function join(a: string, b: string): string {
  if (!a || !b) return a + b;
  if (/\\[a-zA-Z]+$/.test(a) && /^[a-zA-Z0-9]/.test(b)) return `${a} ${b}`;
  return a + b;
}

/** A script or operator limit, always braced: `x^{2}` reads the same everywhere. */
const group = (s: string): string => `{${s}}`;

function convert(el: XmlElement): string {
  switch (localName(el.name)) {
    case 'r':
      return runText(el);
    case 'e':
    case 'num':
    case 'den':
    case 'sub':
    case 'sup':
    case 'deg':
    case 'lim':
    case 'fName':
    case 'oMath':
    case 'box':
    case 'borderBox':
    case 'phant':
      return convertChildren(
        localName(el.name) === 'box' || localName(el.name) === 'borderBox' || localName(el.name) === 'phant'
          ? child(el, 'e')
          : el,
      );
    case 'f':
      return fraction(el);
    case 'sSub':
      return `${base(el)}_${group(convertChildren(child(el, 'sub')))}`;
    case 'sSup':
      return `${base(el)}^${group(convertChildren(child(el, 'sup')))}`;
    case 'sSubSup':
      return `${base(el)}_${group(convertChildren(child(el, 'sub')))}^${group(convertChildren(child(el, 'sup')))}`;
    case 'sPre':
      return `{}_${group(convertChildren(child(el, 'sub')))}^${group(convertChildren(child(el, 'sup')))}${convertChildren(child(el, 'e'))}`;
    case 'rad':
      return radical(el);
    case 'nary':
      return nary(el);
    case 'd':
      return delimiter(el);
    case 'func':
      return func(el);
    case 'limLow':
      return limit(el, '_');
    case 'limUpp':
      return limit(el, '^');
    case 'm':
      return matrix(el);
    case 'eqArr':
      return `\\begin{aligned}${elements(el)
        .filter((c) => localName(c.name) === 'e')
        .map((e) => convertChildren(e))
        .join(' \\\\ ')}\\end{aligned}`;
    case 'acc':
      return accent(el);
    case 'bar':
      return `${val(child(el, 'barPr'), 'pos') === 'bot' ? '\\underline' : '\\overline'}{${convertChildren(child(el, 'e'))}}`;
    case 'groupChr':
      return groupChar(el);
    case 'oMathPara':
      return ommlToLatex(el);
    default:
      return ''; // property elements (`*Pr`), control characters
  }
}

/** The base of a script: grouped when it is more than one token, so `{\frac{a}{b}}^2` stays unambiguous. */
function base(el: XmlElement): string {
  const e = convertChildren(child(el, 'e'));
  if (/^[A-Za-z0-9]$/.test(e) || /^\\[a-zA-Z]+$/.test(e)) return e;
  return `{${e}}`;
}

function runText(r: XmlElement): string {
  let raw = '';
  for (const c of elements(r)) if (localName(c.name) === 't') raw += textOf(c);
  const plain = val(child(r, 'rPr'), 'sty') === 'p' || child(child(r, 'rPr'), 'nor') !== undefined;
  const trimmed = raw.trim();
  if (FUNCTIONS.has(trimmed)) return `\\${trimmed}`;
  let out = '';
  for (const ch of raw) {
    const sym = SYMBOLS[ch];
    // Operator and letter commands get spaces around them, as most LaTeX writers do (`-b \pm \sqrt`).
    if (sym !== undefined) out = /^\\[a-zA-Z]+$/.test(sym) ? `${out} ${sym} ` : out + sym;
    else if ('{}#%&$_'.includes(ch)) out += `\\${ch}`;
    else if (ch === '\\') out += '\\backslash ';
    else out = join(out, ch);
  }
  // Upright multi-letter words that are not operators read better as text.
  if (plain && /^[A-Za-z]{2,}$/.test(trimmed) && !FUNCTIONS.has(trimmed)) return `\\text{${trimmed}}`;
  return out;
}

function fraction(el: XmlElement): string {
  const num = convertChildren(child(el, 'num'));
  const den = convertChildren(child(el, 'den'));
  const type = val(child(el, 'fPr'), 'type');
  if (type === 'lin') return `${group(num)}/${group(den)}`;
  if (type === 'noBar') return `\\binom{${num}}{${den}}`;
  return `\\frac{${num}}{${den}}`;
}

function radical(el: XmlElement): string {
  const hide = val(child(el, 'radPr'), 'degHide');
  const deg = convertChildren(child(el, 'deg'));
  const body = convertChildren(child(el, 'e'));
  return deg && hide !== '1' && hide !== 'on' && hide !== 'true' ? `\\sqrt[${deg}]{${body}}` : `\\sqrt{${body}}`;
}

const isOn = (v: string | undefined) => v === '1' || v === 'on' || v === 'true';

function nary(el: XmlElement): string {
  const pr = child(el, 'naryPr');
  const chr = val(pr, 'chr') ?? '∫';
  let op = SYMBOLS[chr] ?? chr;
  const sub = isOn(val(pr, 'subHide')) ? '' : convertChildren(child(el, 'sub'));
  const sup = isOn(val(pr, 'supHide')) ? '' : convertChildren(child(el, 'sup'));
  if (sub) op += `_${group(sub)}`;
  if (sup) op += `^${group(sup)}`;
  const body = convertChildren(child(el, 'e'));
  return sub || sup ? `${op} ${body}` : join(op, body);
}

function delimiter(el: XmlElement): string {
  const pr = child(el, 'dPr');
  const open = val(pr, 'begChr') ?? '(';
  const close = val(pr, 'endChr') ?? ')';
  const sep = val(pr, 'sepChr') ?? '|';
  const parts = elements(el)
    .filter((c) => localName(c.name) === 'e')
    .map((e) => convertChildren(e));
  const left = open ? (DELIMITERS[open] ?? open) : '.';
  const right = close ? (DELIMITERS[close] ?? close) : '.';
  return `\\left${left}${parts.join(SYMBOLS[sep] ?? sep)}\\right${right}`;
}

function func(el: XmlElement): string {
  const nameEl = child(el, 'fName');
  let name = convertChildren(nameEl);
  const plainName = textOf(nameEl).trim();
  if (FUNCTIONS.has(plainName)) name = `\\${plainName}`;
  else if (/^[A-Za-z]{2,}$/.test(plainName)) name = `\\operatorname{${plainName}}`;
  const arg = convertChildren(child(el, 'e'));
  return /^[\\({[]/.test(arg) ? `${name}${arg}` : `${name}{${arg}}`;
}

function limit(el: XmlElement, mark: '_' | '^'): string {
  return `${convertChildren(child(el, 'e'))}${mark}{${convertChildren(child(el, 'lim'))}}`;
}

function matrix(el: XmlElement): string {
  const rows = elements(el)
    .filter((c) => localName(c.name) === 'mr')
    .map((mr) =>
      elements(mr)
        .filter((c) => localName(c.name) === 'e')
        .map((e) => convertChildren(e))
        .join(' & '),
    );
  return `\\begin{matrix}${rows.join(' \\\\ ')}\\end{matrix}`;
}

function accent(el: XmlElement): string {
  const chr = val(child(el, 'accPr'), 'chr') ?? '\u0302';
  const command =
    ACCENTS[chr] ??
    (chr === '¯' || chr === '‾'
      ? '\\bar'
      : chr === '→'
        ? '\\vec'
        : chr === '~'
          ? '\\tilde'
          : chr === '^'
            ? '\\hat'
            : '\\hat');
  return `${command}{${convertChildren(child(el, 'e'))}}`;
}

function groupChar(el: XmlElement): string {
  const pr = child(el, 'groupChrPr');
  const chr = val(pr, 'chr') ?? '⏟';
  const body = convertChildren(child(el, 'e'));
  if (chr === '⏞') return `\\overbrace{${body}}`;
  if (chr === '⏟') return `\\underbrace{${body}}`;
  return val(pr, 'pos') === 'top'
    ? `\\overset{${SYMBOLS[chr] ?? chr}}{${body}}`
    : `\\underset{${SYMBOLS[chr] ?? chr}}{${body}}`;
}
