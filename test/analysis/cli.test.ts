/** The analysis commands in process, with the real engine in the sandbox's worker, on files written here. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { run } from '../../shared/cli/program.ts';
import { buildDocx, p, styled, paragraphStyle } from '../fixtures/docx.ts';

async function mdraft(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
  stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
  const code = await run(args, { stdin: Object.assign(new PassThrough(), { isTTY: true }), stdout, stderr });
  return { code, stdout: out, stderr: err };
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mdraft-analysis-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const docx = path.join(dir, 'rfp.docx');
fs.writeFileSync(
  docx,
  buildDocx({
    styles: paragraphStyle('Heading1', 'heading 1') + paragraphStyle('Heading2', 'heading 2'),
    body: [
      styled('Heading1', 'Request for Proposals'),
      styled('Heading2', '1. Submission'),
      p('Offerors shall submit two (2) copies by June 1, 2026. Proposals received late will not be opened.'),
      styled('Heading2', '2. Insurance'),
      p('The Contractor must carry insurance of $2,000,000, including "umbrella" cover.'),
    ].join(''),
  }),
);

describe('mdraft requirements / ask / summary', () => {
  test('requirements as JSON: offsets into the converted Markdown', async () => {
    const r = await mdraft(['requirements', docx]);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as {
      kind: string;
      requirements: { text: string; section?: { number?: string }; party?: string }[];
    };
    expect(result.kind).toBe('requirements');
    expect(result.requirements.map((x) => [x.text, x.section?.number, x.party])).toEqual([
      ['Offerors shall submit two (2) copies by June 1, 2026.', '1', 'Offerors'],
      ['Proposals received late will not be opened.', '1', undefined],
      // Verbatim Markdown: the serializer escapes `$` (it would open inline math).
      ['The Contractor must carry insurance of \\$2,000,000, including "umbrella" cover.', '2', 'The Contractor'],
    ]);
    const md = await mdraft(['convert', docx]);
    const req = JSON.parse(r.stdout).requirements[2] as { start: number; end: number; text: string };
    expect(md.stdout.slice(req.start, req.end)).toBe(req.text);
  });

  test('requirements --csv', async () => {
    const r = await mdraft(['requirements', docx, '--csv']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\r\n');
    expect(lines[0]).toBe('id,section,heading,page,level,modal,party,category,dates,quantities,text,start,end');
    expect(lines[3]).toContain(
      ',"$2,000,000","The Contractor must carry insurance of \\$2,000,000, including ""umbrella"" cover."',
    );
    expect(lines).toHaveLength(5);
  });

  test('ask quotes the passage; an unrelated question is not in the document', async () => {
    const hit = await mdraft(['ask', docx, 'How many copies must offerors submit?']);
    expect(hit.code).toBe(0);
    expect(hit.stdout).toContain('“Offerors shall submit two (2) copies by June 1, 2026.”');
    const miss = await mdraft(['ask', docx, 'What is the parking policy for visitors?']);
    expect(miss.stdout).toMatch(/^Answer: not in the document\./);
  });

  test('summary quotes sentences per section; convert --chunks writes chunks with offsets', async () => {
    const s = await mdraft(['summary', docx, '--json']);
    const summary = JSON.parse(s.stdout) as { sections: { headingPath: string[]; claims: { text: string }[] }[] };
    expect(summary.sections.find((x) => x.headingPath.at(-1) === '2. Insurance')?.claims[0].text).toContain(
      'insurance',
    );
    const c = await mdraft(['convert', '--chunks', docx]);
    const chunks = JSON.parse(c.stdout) as { text: string; start: number; end: number; headingPath: string[] }[];
    const md = (await mdraft(['convert', docx])).stdout;
    expect(chunks.length).toBeGreaterThan(1);
    for (const ch of chunks) expect(md.slice(ch.start, ch.end)).toBe(ch.text);
  });

  test('convert --chunks --chunk-tokens: smaller targets give more, smaller chunks, each within a section', async () => {
    const long = path.join(dir, 'long.docx');
    const clauses = Array.from(
      { length: 24 },
      (_, i) => `Clause ${i + 1}: the Contractor shall keep records of every scanned box for audit by the Agency.`,
    );
    fs.writeFileSync(
      long,
      buildDocx({
        styles: paragraphStyle('Heading1', 'heading 1'),
        body: [styled('Heading1', 'Records'), ...clauses.map((c) => p(c))].join(''),
      }),
    );
    type Out = { text: string; start: number; end: number; tokens: number; headingPath: string[] }[];
    const small = JSON.parse((await mdraft(['convert', '--chunks', '--chunk-tokens', '64', long])).stdout) as Out;
    const large = JSON.parse((await mdraft(['convert', '--chunks', long])).stdout) as Out;
    expect(large.length).toBeGreaterThanOrEqual(2);
    expect(small.length).toBeGreaterThan(large.length * 3);
    for (const ch of small) {
      expect(ch.tokens).toBeLessThanOrEqual(64);
      expect(ch.headingPath).toEqual(['Records']);
    }
    for (const bad of ['8', '9000', '1.5', 'x'])
      expect((await mdraft(['convert', '--chunks', '--chunk-tokens', bad, long])).code).toBe(2);
    expect((await mdraft(['convert', '--chunk-tokens', '128', long])).code).toBe(2);
  });

  test('usage errors exit 2; a missing file exits 1', async () => {
    expect((await mdraft(['ask', docx])).code).toBe(2);
    expect((await mdraft(['convert', '--chunks', '--json', docx])).code).toBe(2);
    const missing = await mdraft(['summary', path.join(dir, 'nope.pdf')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no such file');
  });
});
