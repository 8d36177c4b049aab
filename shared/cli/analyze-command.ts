/**
 * `mdraft requirements|ask|summary FILE`: convert one local file in the sandboxed worker pool, then run the
 * offline analysis engine on its Markdown (`shared/analysis/offline.ts`): no account, no network. Output on
 * stdout (JSON, CSV or readable text), warnings such as `prompt_injection_suspected` on stderr.
 * Every offset printed points into the Markdown that `mdraft convert FILE` writes with the same options.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { tesseractOcrFactory } from '../adapters/ocr-factories.ts';
import { createConverterPool } from '../engine/sandbox.ts';
import { analyzeOffline } from '../analysis/offline.ts';
import type { AnalysisRequest } from '../analysis/port.ts';
import { requirementsToCsv } from '../analysis/requirements.ts';
import type { AnalysisResult, Claim } from '../analysis/schema.ts';

export interface AnalyzeArgs {
  file: string;
  request: AnalysisRequest;
  /** `json`: the whole result; `csv`: the requirements matrix (requirements only); `text`: for reading. */
  output: 'json' | 'csv' | 'text';
  ocr: boolean;
  password?: string;
  timeoutMs: number;
  maxMemoryMb: number;
}

export interface AnalyzeIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** Runs one analysis. Returns the exit code: 0 done, 1 the file could not be read or converted. */
export async function runAnalyze(
  args: AnalyzeArgs,
  io: AnalyzeIo,
  deps: { engineModule?: string | URL } = {},
): Promise<number> {
  const name = `mdraft ${args.request.kind}`;
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(args.file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    io.stderr.write(`${name}: ${args.file}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}\n`);
    return 1;
  }
  const pool = createConverterPool({
    size: 1,
    timeoutMs: args.timeoutMs,
    maxMemoryMb: args.maxMemoryMb,
    ocr: args.ocr ? tesseractOcrFactory() : false,
    ...(deps.engineModule ? { engineModule: deps.engineModule } : {}),
  });
  let result;
  try {
    result = await pool.convert(new Uint8Array(bytes), {
      ocr: args.ocr,
      fileName: path.basename(args.file),
      ...(args.password !== undefined ? { password: args.password } : {}),
    });
  } catch (error) {
    const e = error as { code?: unknown; message?: unknown };
    io.stderr.write(
      `${name}: ${args.file}: ${typeof e.code === 'string' ? `${e.code}: ` : ''}${String(e.message ?? error)}\n`,
    );
    return 1;
  } finally {
    await pool.close();
  }
  const analysis = analyzeOffline(
    { markdown: result.markdown, ...(result.pages ? { pages: result.pages } : {}) },
    args.request,
  );
  for (const w of analysis.warnings) {
    const where = w.locations?.length
      ? ` (at ${w.locations
          .slice(0, 5)
          .map((l) => `${l.page !== undefined ? `p. ${l.page} ` : ''}${l.start}–${l.end}`)
          .join(', ')}${w.locations.length > 5 ? ', …' : ''})`
      : '';
    io.stderr.write(`${name}: warning: ${w.code}: ${w.message}${where}\n`);
  }
  io.stdout.write(render(analysis, args.output));
  return 0;
}

function render(analysis: AnalysisResult, output: AnalyzeArgs['output']): string {
  if (output === 'csv' && analysis.kind === 'requirements') return requirementsToCsv(analysis.requirements);
  if (output !== 'text') return `${JSON.stringify(analysis, null, 2)}\n`;
  switch (analysis.kind) {
    case 'ask': {
      const lines = [analysis.found ? 'Answer, quoted from the document:' : `Answer: ${analysis.answer}.`];
      for (const c of analysis.claims) lines.push(...claimLines(c));
      if (!analysis.found && analysis.passages.length) {
        lines.push('', 'Closest passages (below the relevance threshold):');
        for (const p of analysis.passages) lines.push(`  ${cite(p.page, p.section)}${oneLine(p.text, 160)}`);
      }
      return `${lines.join('\n')}\n`;
    }
    case 'summary': {
      const lines = ['Summary (sentences quoted from the document):'];
      for (const c of analysis.overall) lines.push(...claimLines(c));
      for (const s of analysis.sections) {
        if (!s.claims.length) continue;
        lines.push('', `## ${s.headingPath.at(-1) ?? '(before the first heading)'}`);
        for (const c of s.claims) lines.push(...claimLines(c));
      }
      return `${lines.join('\n')}\n`;
    }
    case 'outline':
      return `${analysis.outline.map((e) => `${'  '.repeat(e.depth - 1)}- ${e.heading}${e.page !== undefined ? ` (p. ${e.page})` : ''}`).join('\n')}\n`;
    case 'requirements':
      return `${analysis.requirements
        .map((r) => `${r.id} ${cite(r.page, r.section)}[${r.level}${r.party ? `, ${r.party}` : ''}] ${r.text}`)
        .join('\n')}\n`;
  }
}

function claimLines(c: Claim): string[] {
  return c.quotes.map((q) => `  ${cite(q.page, q.section)}“${oneLine(q.text, 400)}” [${q.start}–${q.end}]`);
}

function cite(page: number | undefined, section: { number?: string; heading: string } | undefined): string {
  const parts = [
    ...(page !== undefined ? [`p. ${page}`] : []),
    ...(section ? [`§ ${section.number ?? section.heading}`] : []),
  ];
  return parts.length ? `(${parts.join(', ')}) ` : '';
}

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
