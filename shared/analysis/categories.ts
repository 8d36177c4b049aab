/**
 * Categories of a requirement by keyword rules, as proposal managers sort an RFP compliance matrix. Each
 * category has word stems; a requirement gets the category with the most stems in its text, ties going to
 * the earlier category in this table (submission instructions are the most urgent to get right), and
 * `general` when none matches. Stems match at the start of a word, case-insensitively; a stem ending in `=`
 * matches the whole word only (`contract=` is not `contractor`, which names a party, not a topic).
 */
export const CATEGORY_RULES = {
  submission: [
    'submit',
    'submission',
    'proposal',
    'offer',
    'quote',
    'bid',
    'copies',
    'page limit',
    'pages',
    'font',
    'format',
    'electronic',
    'portal',
    'envelope',
    'label',
    'signed',
    'due',
    'deadline',
    'volume',
    'cover letter',
    'late',
    'deliver to',
    'e-mail',
    'email',
  ],
  evaluation: [
    'evaluat',
    'score',
    'scoring',
    'award',
    'criteria',
    'criterion',
    'rated',
    'rating',
    'weight',
    'best value',
    'lowest price',
    'competitive range',
    'responsive',
    'responsible',
    'assess',
  ],
  contractual: [
    'insurance',
    'indemn',
    'warrant',
    'terminat',
    'invoice',
    'payment',
    'pay ',
    'liabil',
    'governing law',
    'confidential',
    'subcontract',
    'audit',
    'penalt',
    'breach',
    'dispute',
    'assign',
    'intellectual property',
    'licens',
    'compensat',
    'contract=',
    'contracts=',
    'agreement',
    'bond',
    'tax',
  ],
  personnel: [
    'staff',
    'personnel',
    'resume',
    'résumé',
    'employee',
    'project manager',
    'qualified',
    'qualification',
    'certified',
    'background check',
    'training',
    'key person',
  ],
  schedule: ['deliverable', 'milestone', 'schedule', 'kick-off', 'kickoff', 'timeline', 'phase', 'completion'],
  technical: [
    'system',
    'software',
    'hardware',
    'availab',
    'uptime',
    'interface',
    'integrat',
    'data',
    'secur',
    'encrypt',
    'network',
    'perform',
    'platform',
    'test',
    'migrat',
    'api',
    'backup',
    'recover',
    'accessib',
    'server',
    'cloud',
    'support',
    'maintain',
    'maintenance',
    'install',
    'configur',
    'report',
    'incident',
    'respon',
    'user',
  ],
} as const;

export type Category = keyof typeof CATEGORY_RULES | 'general';

/** The category of a requirement's text by the rules above. */
export function categorize(text: string): Category {
  const lower = ` ${text.toLowerCase()}`;
  let best: Category = 'general';
  let bestHits = 0;
  for (const [category, stems] of Object.entries(CATEGORY_RULES) as [
    keyof typeof CATEGORY_RULES,
    readonly string[],
  ][]) {
    let hits = 0;
    for (const rule of stems) {
      const whole = rule.endsWith('=');
      const stem = whole ? rule.slice(0, -1) : rule;
      let at = lower.indexOf(stem);
      while (at >= 0) {
        const startsWord = !/[\p{L}\p{N}]/u.test(lower[at - 1] ?? ' ');
        const endsWord = !whole || !/[\p{L}\p{N}]/u.test(lower[at + stem.length] ?? ' ');
        if (startsWord && endsWord) hits++;
        at = lower.indexOf(stem, at + stem.length);
      }
    }
    if (hits > bestHits) {
      best = category;
      bestHits = hits;
    }
  }
  return best;
}
