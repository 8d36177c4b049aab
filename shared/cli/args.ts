/**
 * Command-line parsing with `node:util` parseArgs. Each subcommand describes its options here and gets a
 * typed, validated object back; anything wrong is a `UsageError` (exit code 2).
 */
import { parseArgs } from 'node:util';
import { availableParallelism } from 'node:os';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const USAGE = `Usage: mdraft <command> [options]

Commands:
  convert <file|dir|->...   Convert documents to Markdown on this machine
  submit <file>...          Convert through an MDraft API (upload, wait, download)
  dev-key [--user NAME]     Print an API key for the embedded server (npm start)

Options:
  -h, --help                Show this help
  -v, --version             Print the version

Run \`mdraft <command> --help\` for the options of a command.`;

export const CONVERT_USAGE = `Usage: mdraft convert <file|dir|->... [options]

Converts PDF, DOCX, PPTX, XLSX, XLS, HTML, CSV, EPUB, images and text to Markdown.
One file and no -o: the Markdown goes to stdout. Directories are walked recursively and
mirrored into -o <dir>, each output named after its input plus .md (a/b.docx -> out/a/b.docx.md).
"-" reads stdin (input) or writes stdout (-o).

Options:
  -o, --output <path>       Output file (one input) or directory (several inputs or a directory)
      --json                Write the JSON result (markdown, pages, warnings...) instead of Markdown
      --page-separators     Put <!-- page N --> before each page or slide
      --password <P>        Password for encrypted PDFs
      --pages <range>       Pages to convert: 3, 1-5 or 4- (1-based, inclusive)
      --no-ocr              Never run OCR on images and scanned pages
      --timeout <seconds>   Time budget per document (default 120)
      --max-memory <MB>     Heap ceiling per conversion worker (default 1024)
      --jobs <N>            Documents converted at once (default: CPU count, at most 4)
  -q, --quiet               No progress lines or warnings on stderr
  -h, --help                Show this help

Exit status: 0 all converted, 1 some failed, 2 usage error.`;

export type Command = { kind: 'help'; text: string } | { kind: 'version' } | { kind: 'convert'; args: ConvertArgs };

export interface ConvertArgs {
  inputs: string[];
  output?: string;
  json: boolean;
  pageSeparators: boolean;
  password?: string;
  pages?: { first: number; last: number };
  ocr: boolean;
  timeoutMs: number;
  maxMemoryMb: number;
  jobs: number;
  quiet: boolean;
}

export function parseCommand(argv: string[]): Command {
  const [first, ...rest] = argv;
  if (first === undefined || first === '-h' || first === '--help' || first === 'help')
    return { kind: 'help', text: USAGE };
  if (first === '-v' || first === '--version') return { kind: 'version' };
  if (first === 'convert') return parseConvert(rest);
  throw new UsageError(first.startsWith('-') ? `unknown option ${first}` : `unknown command "${first}"`);
}

function parseConvert(argv: string[]): Command {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        output: { type: 'string', short: 'o' },
        json: { type: 'boolean' },
        'page-separators': { type: 'boolean' },
        password: { type: 'string' },
        pages: { type: 'string' },
        'no-ocr': { type: 'boolean' },
        timeout: { type: 'string' },
        'max-memory': { type: 'string' },
        jobs: { type: 'string', short: 'j' },
        quiet: { type: 'boolean', short: 'q' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help', text: CONVERT_USAGE };
  if (positionals.length === 0) throw new UsageError('convert needs at least one file, directory or - (stdin)');
  if (positionals.filter((p) => p === '-').length > 1) throw new UsageError('stdin (-) can be read only once');
  return {
    kind: 'convert',
    args: {
      inputs: positionals,
      ...(values.output !== undefined ? { output: values.output } : {}),
      json: values.json ?? false,
      pageSeparators: values['page-separators'] ?? false,
      ...(values.password !== undefined ? { password: values.password } : {}),
      ...(values.pages !== undefined ? { pages: parsePages(values.pages) } : {}),
      ocr: !values['no-ocr'],
      timeoutMs: Math.round(positiveNumber('--timeout', values.timeout, 120) * 1000),
      maxMemoryMb: Math.round(positiveNumber('--max-memory', values['max-memory'], 1024)),
      jobs: Math.max(1, Math.floor(positiveNumber('--jobs', values.jobs, Math.min(4, availableParallelism())))),
      quiet: values.quiet ?? false,
    },
  };
}

/** `3`, `1-5`, `4-` → an inclusive 1-based range. */
export function parsePages(spec: string): { first: number; last: number } {
  const m = /^\s*(\d+)\s*(?:(-)\s*(\d+)?)?\s*$/.exec(spec);
  if (!m) throw new UsageError(`--pages expects N, N-M or N- (got "${spec}")`);
  const first = Number(m[1]);
  const last = m[3] !== undefined ? Number(m[3]) : m[2] ? Number.MAX_SAFE_INTEGER : first;
  if (first < 1 || last < first) throw new UsageError(`--pages range "${spec}" is empty or starts before page 1`);
  return { first, last };
}

function positiveNumber(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${name} expects a positive number (got "${value}")`);
  return n;
}
