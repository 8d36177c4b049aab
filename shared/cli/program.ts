/**
 * The `mdraft` command table, on commander: the program and its commands (`convert`, `submit`, `jobs`, `usage`, `dev-key`, and
 * the offline analyses `requirements`, `ask`, `summary`) with every option, its validation and its help in one place, so all of them parse, explain and
 * fail the same way. Exit codes: 0 success, 1 a conversion (or submission) failed, 2 usage error.
 *
 * `mdraft FILE…` is short for `mdraft convert FILE…` (as with markitdown and pandoc); with no file at all
 * the document is read from stdin when stdin is not a terminal. A command's own module (and so the
 * conversion pool, the database, the HTTP client) is imported only when that command runs, so `--help`
 * and `--version` start instantly.
 */
import fs from 'node:fs';
import { availableParallelism } from 'node:os';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import {
  parseApiUrl,
  parseCharset,
  parseChunkTokens,
  parseDay,
  parseIntegerIn,
  OCR_LANG_HELP,
  parseOcrLanguages,
  parsePages,
  parsePositive,
  parseUserName,
  UsageError,
  type ConvertArgs,
} from './args.ts';
import type { AnalysisRequest } from '../analysis/port.ts';

export interface CliIo {
  /** Read by `convert` for `-` and when no file is given; `isTTY` decides between stdin and help. */
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

export interface CliDeps {
  /** A module the conversion workers run instead of the engine (`ConverterPoolOptions.engineModule`): tests. */
  engineModule?: string | URL;
}

/** The commands; a first argument that is none of these nor a program option is a file to convert. */
export const COMMANDS = ['convert', 'submit', 'jobs', 'usage', 'dev-key', 'requirements', 'ask', 'summary'] as const;
const PROGRAM_WORDS = new Set<string>([...COMMANDS, 'help', '-h', '--help', '-v', '--version']);

const EXIT_STATUS = '\nExit status: 0 success, 1 a document failed, 2 usage error.';

/** What convert's flags give commander's action (names are commander's camel-cased attribute names). */
interface ConvertFlags {
  output?: string;
  json?: boolean;
  chunks?: boolean;
  chunkTokens?: number;
  pageSeparators?: boolean;
  password?: string;
  pages?: { first: number; last: number };
  ocr: boolean;
  ocrLang?: string[];
  charset?: string;
  comments?: boolean;
  trackedChanges?: 'accept' | 'show';
  timeout: number;
  maxMemory: number;
  jobs?: number;
  quiet?: boolean;
}

/**
 * Parses `argv` (the arguments after `mdraft`) and runs the command.
 * @returns the exit code: 0 success, 1 any document failed, 2 usage error (message and a hint on stderr).
 * @throws only on internal errors (bugs, environment failures), which the entry reports as such.
 */
export async function run(argv: string[], io: CliIo, deps: CliDeps = {}): Promise<number> {
  const shorthand = argv.length === 0 || !PROGRAM_WORDS.has(argv[0]);
  const state = { exitCode: 0 };
  const program = buildProgram(io, deps, state, shorthand ? { word: argv[0] } : undefined);
  try {
    await program.parseAsync(shorthand ? ['convert', ...argv] : argv, { from: 'user' });
    return state.exitCode;
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    // Help asked for and the version exit 0; help shown because something was missing, and errors, exit 2.
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return 0;
    if (error.code === 'commander.help') return error.exitCode === 0 ? 0 : 2;
    return 2;
  }
}

/** `shorthand`: the user gave no command (`word` is their first argument, if any), so `convert` was implied. */
function buildProgram(
  io: CliIo,
  deps: CliDeps,
  state: { exitCode: number },
  shorthand: { word: string | undefined } | undefined,
): Command {
  const program = new Command('mdraft')
    .usage('<command> [options]   or   mdraft <file|dir|->... [convert options]')
    .description(
      'Documents (PDF, DOCX, PPTX, XLSX, XLS, HTML, CSV, EPUB, images, text) to clean Markdown.\n' +
        'A file as the first argument is short for `mdraft convert <file>...`; with no file at all,\n' +
        'the document is read from stdin (when stdin is not a terminal).',
    )
    .version(version(), '-v, --version', 'print the version')
    .helpOption('-h, --help', 'show this help')
    .helpCommand('help [command]', 'show the help of a command')
    .exitOverride()
    .addHelpText('after', EXIT_STATUS);
  configure(program, io, 'mdraft');

  const convert = program
    .command('convert')
    .description(
      'Convert documents to Markdown on this machine.\n' +
        'One file and no -o: the Markdown goes to stdout. Directories are walked recursively and\n' +
        'mirrored into -o <dir>, each output named after its input plus .md (a/b.docx -> out/a/b.docx.md).\n' +
        'No file: stdin is read (when it is not a terminal).',
    )
    .summary('Convert documents to Markdown on this machine (the default command)')
    .argument('[inputs...]', 'files, directories, or - for stdin')
    .option('-o, --output <path>', 'output file (one input) or directory (several inputs or a directory); - is stdout')
    .option('--json', 'write the JSON result (markdown, pages, warnings...) instead of Markdown')
    .option(
      '--chunks',
      'write heading-aware retrieval chunks (a JSON array: text, heading path, pages, offsets into the Markdown)',
    )
    .option(
      '--chunk-tokens <n>',
      'with --chunks: target chunk size in estimated tokens, 64 to 8192 (default 512)',
      validated(parseChunkTokens),
    )
    .option('--page-separators', 'put <!-- page N --> before each page or slide')
    .option('--password <password>', 'password for encrypted PDFs')
    .option('--pages <range>', 'pages to convert: 3, 1-5 or 4- (1-based, inclusive)', validated(parsePages))
    .option('--no-ocr', 'never run OCR on images and scanned pages')
    .option('--ocr-lang <codes>', OCR_LANG_HELP, validated(parseOcrLanguages))
    .option(
      '--charset <label>',
      'character set of text input (CSV, TSV, text, HTML that declares none), e.g. windows-1252 or shift_jis; ' +
        'overrides detection (a BOM still wins)',
      validated(parseCharset),
    )
    .option('--comments', 'append DOCX/PPTX/XLSX comments, linked from where they anchor')
    .addOption(
      new Option(
        '--tracked-changes <mode>',
        'DOCX tracked changes: accept (the default: the document as if accepted) or show (insertions and deletions marked)',
      ).choices(['accept', 'show']),
    )
    .option('--timeout <seconds>', 'time budget per document', validated(parsePositive), 120)
    .option('--max-memory <MB>', 'heap ceiling per conversion worker', validated(parsePositive), 1024)
    .option('-j, --jobs <N>', 'documents converted at once (default: CPU count, at most 4)', validated(parsePositive))
    .option('-q, --quiet', 'no progress lines or warnings on stderr')
    .addHelpText('after', EXIT_STATUS)
    .action(async (given: string[], flags: ConvertFlags) => {
      let inputs = given;
      if (inputs.length === 0) {
        // A terminal on stdin means nobody is piping a document: waiting for one would look like a hang.
        if (io.stdin.isTTY) (shorthand ? program : convert).help({ error: true });
        inputs = ['-'];
      }
      const word = shorthand?.word;
      if (word !== undefined && inputs[0] === word && isCommandLike(word) && !fs.existsSync(word)) {
        fail(program, `unknown command "${word}" and no file of that name${suggestion(word)}`);
      }
      if (inputs.filter((p) => p === '-').length > 1) fail(convert, 'stdin (-) can be read only once');
      if (flags.ocrLang && !flags.ocr) fail(convert, '--ocr-lang and --no-ocr contradict each other');
      if (flags.chunks && flags.json) fail(convert, '--chunks and --json are two different outputs: choose one');
      if (flags.chunkTokens !== undefined && !flags.chunks) fail(convert, '--chunk-tokens needs --chunks');
      const args: ConvertArgs = {
        inputs,
        ...(flags.output !== undefined ? { output: flags.output } : {}),
        json: flags.json ?? false,
        ...(flags.chunks ? { chunks: true } : {}),
        ...(flags.chunkTokens !== undefined ? { chunkTokens: flags.chunkTokens } : {}),
        pageSeparators: flags.pageSeparators ?? false,
        ...(flags.password !== undefined ? { password: flags.password } : {}),
        ...(flags.pages ? { pages: flags.pages } : {}),
        ocr: flags.ocr,
        ...(flags.ocrLang ? { ocrLanguages: flags.ocrLang } : {}),
        ...(flags.charset !== undefined ? { charset: flags.charset } : {}),
        comments: flags.comments ?? false,
        ...(flags.trackedChanges ? { trackedChanges: flags.trackedChanges } : {}),
        timeoutMs: Math.round(flags.timeout * 1000),
        maxMemoryMb: Math.round(flags.maxMemory),
        jobs: Math.max(1, Math.floor(flags.jobs ?? Math.min(4, availableParallelism()))),
        quiet: flags.quiet ?? false,
      };
      const { runConvert } = await import('./convert-command.ts');
      try {
        state.exitCode = await runConvert(args, io, deps);
      } catch (error) {
        if (error instanceof UsageError) fail(convert, error.message);
        throw error;
      }
    });
  configure(convert, io, 'mdraft convert');

  const submit = program
    .command('submit')
    .description(
      'Send documents to an MDraft API (the embedded server or the cloud) and download the Markdown.\n' +
        'One file and no -o: the Markdown goes to stdout. Several files: -o is a directory (created if\n' +
        'needed); without -o each result is written next to its input as <file>.md.',
    )
    .summary('Convert through an MDraft API (upload, wait, download)')
    .argument('<files...>', 'documents to convert')
    .addOption(
      new Option('--api <URL>', 'API base URL')
        .env('MDRAFT_API')
        .default('http://127.0.0.1:8080')
        .argParser(validated(parseApiUrl)),
    )
    .addOption(new Option('--key <KEY>', 'API key').env('MDRAFT_API_KEY').makeOptionMandatory())
    .option('-o, --output <path>', 'output file (one input) or directory')
    .option('--json', 'download the structured JSON result instead of Markdown')
    .option(
      '--concurrency <N>',
      'files in flight at once',
      validated((v) => parseIntegerIn(v, 1, 64)),
      4,
    )
    .option('--timeout <seconds>', 'give up waiting for one document after this long', validated(parsePositive), 900)
    .addHelpText('after', EXIT_STATUS)
    .action(
      async (
        files: string[],
        flags: { api: string; key: string; output?: string; json?: boolean; concurrency: number; timeout: number },
      ) => {
        const { runSubmit } = await import('./submit.ts');
        state.exitCode = await runSubmit(
          {
            files,
            api: flags.api,
            key: flags.key,
            ...(flags.output !== undefined ? { output: flags.output } : {}),
            json: flags.json ?? false,
            concurrency: flags.concurrency,
            timeoutMs: Math.round(flags.timeout * 1000),
          },
          io,
        );
      },
    );
  configure(submit, io, 'mdraft submit');

  addRemoteCommands(program, io, state);

  const devKey = program
    .command('dev-key')
    .description(
      'Print a new API key for a local user of the embedded server (npm start), creating the user if new.\n' +
        'The key is the last line of the output.',
    )
    .summary('Print an API key for the embedded server (npm start)')
    .option('--user <NAME>', 'user name: letters, digits, _ and -', validated(parseUserName), 'local')
    .addOption(new Option('--data-dir <DIR>', "the server's data directory").env('MDRAFT_DATA_DIR').default('.mdraft'))
    .addHelpText('after', EXIT_STATUS.replace('a document failed', 'the key could not be issued'))
    .action(async (flags: { user: string; dataDir: string }) => {
      const { runDevKey } = await import('./dev-key.ts');
      state.exitCode = await runDevKey({ user: flags.user, dataDir: flags.dataDir }, io);
    });
  configure(devKey, io, 'mdraft dev-key');

  addAnalysisCommands(program, io, deps, state);

  return program;
}

/** `--api` and `--key`, as `submit` has them (environment MDRAFT_API, MDRAFT_API_KEY). */
function remoteOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--api <URL>', 'API base URL')
        .env('MDRAFT_API')
        .default('http://127.0.0.1:8080')
        .argParser(validated(parseApiUrl)),
    )
    .addOption(new Option('--key <KEY>', 'API key').env('MDRAFT_API_KEY').makeOptionMandatory());
}

interface RemoteFlags {
  api: string;
  key: string;
  json?: boolean;
}

/** `jobs list|get|result|delete` and `usage`: the account on an MDraft API, through the typed client. */
function addRemoteCommands(program: Command, io: CliIo, state: { exitCode: number }): void {
  const exit = EXIT_STATUS.replace('a document failed', 'the API refused the request or could not be reached');
  const jobs = program
    .command('jobs')
    .description('List, inspect, download and delete the jobs of your account on an MDraft API.')
    .summary('Your jobs on an MDraft API (list, get, result, delete)')
    .addHelpText('after', exit);
  configure(jobs, io, 'mdraft jobs');
  const sub = (name: string, description: string) => {
    const command = remoteOptions(jobs.command(name).description(description)).addHelpText('after', exit);
    configure(command, io, `mdraft jobs ${name}`);
    return command;
  };
  const go = async (args: Parameters<typeof import('./remote-commands.ts').runJobs>[0]) => {
    const { runJobs } = await import('./remote-commands.ts');
    state.exitCode = await runJobs(args, io);
  };
  const remote = (flags: RemoteFlags) => ({ api: flags.api, key: flags.key, json: flags.json ?? false });

  sub('list', 'Your jobs, newest first: id, status (with the error code of a failed job), creation time, file.')
    .option(
      '--limit <N>',
      'jobs per page',
      validated((v) => parseIntegerIn(v, 1, 100)),
      20,
    )
    .option('--cursor <CURSOR>', 'the page after this cursor (printed by the previous page)')
    .option('--all', 'every page')
    .option('--search <text>', 'only jobs whose file name, or a word in it, begins with <text> (case-insensitive)')
    .option('--json', 'write the API response as JSON')
    .action((flags: RemoteFlags & { limit: number; cursor?: string; all?: boolean; search?: string }) =>
      go({
        ...remote(flags),
        action: 'list',
        limit: flags.limit,
        ...(flags.cursor ? { cursor: flags.cursor } : {}),
        ...(flags.search !== undefined ? { search: flags.search } : {}),
        all: flags.all ?? false,
      }),
    );
  sub('get', 'One job as JSON: status, times, pages, warnings, error, units.')
    .argument('<id>', 'the job id')
    .action((id: string, flags: RemoteFlags) => go({ ...remote(flags), action: 'get', id }));
  sub('result', "Download a finished job's Markdown (or --json: the structured result) to stdout or -o.")
    .argument('<id>', 'the job id')
    .option('-o, --output <file>', 'write to this file instead of stdout')
    .option('--json', 'the structured JSON result instead of Markdown')
    .action((id: string, flags: RemoteFlags & { output?: string }) =>
      go({
        ...remote(flags),
        json: false,
        action: 'result',
        id,
        format: flags.json ? 'json' : 'md',
        ...(flags.output ? { output: flags.output } : {}),
      }),
    );
  sub('delete', 'Delete jobs with their upload and results.')
    .argument('<ids...>', 'job ids')
    .action((ids: string[], flags: RemoteFlags) => go({ ...remote(flags), action: 'delete', ids }));

  const usage = remoteOptions(
    program
      .command('usage')
      .description(
        'Your usage on an MDraft API over a range of days (default: this month): jobs, failures, billable\n' +
          'units and pages per day, month or format, with the total.',
      )
      .summary('Your usage on an MDraft API'),
  )
    .option('--from <YYYY-MM-DD>', 'first day (UTC)', validated(parseDay))
    .option('--to <YYYY-MM-DD>', 'last day (UTC)', validated(parseDay))
    .addOption(new Option('--group-by <what>', 'rows per').choices(['day', 'month', 'format']).default('day'))
    .option('--json', 'write the API response as JSON')
    .option('--csv', 'write the CSV export (one record per day and format)')
    .addHelpText('after', exit)
    .action(
      async (
        flags: RemoteFlags & { from?: string; to?: string; groupBy: 'day' | 'month' | 'format'; csv?: boolean },
      ) => {
        const { runUsage } = await import('./remote-commands.ts');
        state.exitCode = await runUsage(
          {
            ...remote(flags),
            ...(flags.from ? { from: flags.from } : {}),
            ...(flags.to ? { to: flags.to } : {}),
            groupBy: flags.groupBy,
            csv: flags.csv ?? false,
          },
          io,
        );
      },
    );
  configure(usage, io, 'mdraft usage');
}

interface AnalysisFlags {
  json?: boolean;
  csv?: boolean;
  password?: string;
  ocr: boolean;
  timeout: number;
  maxMemory: number;
}

/** `requirements`, `ask`, `summary`: a local file, converted then analysed offline (no account, no network). */
function addAnalysisCommands(program: Command, io: CliIo, deps: CliDeps, state: { exitCode: number }): void {
  const common = (command: Command, name: string) => {
    command
      .option('--password <password>', 'password for an encrypted PDF')
      .option('--no-ocr', 'never run OCR on images and scanned pages')
      .option('--timeout <seconds>', 'time budget for the conversion', validated(parsePositive), 120)
      .option('--max-memory <MB>', 'heap ceiling of the conversion worker', validated(parsePositive), 1024)
      .addHelpText('after', EXIT_STATUS);
    configure(command, io, name);
  };
  const go = async (file: string, request: AnalysisRequest, output: 'json' | 'csv' | 'text', flags: AnalysisFlags) => {
    const { runAnalyze } = await import('./analyze-command.ts');
    state.exitCode = await runAnalyze(
      {
        file,
        request,
        output,
        ocr: flags.ocr,
        ...(flags.password !== undefined ? { password: flags.password } : {}),
        timeoutMs: Math.round(flags.timeout * 1000),
        maxMemoryMb: Math.round(flags.maxMemory),
      },
      io,
      deps,
    );
  };

  const requirements = program
    .command('requirements')
    .description(
      'The requirements (compliance) matrix of a document: every sentence with shall/must/will/should/may\n' +
        '(and negatives), verbatim, with its section, page, obligation level, party, dates, quantities,\n' +
        'category and offsets into the Markdown. JSON by default; --csv for a spreadsheet (RFC 4180).',
    )
    .summary('List every obligation of a document (offline)')
    .argument('<file>', 'the document')
    .option('--csv', 'write CSV instead of JSON');
  common(requirements, 'mdraft requirements');
  requirements.action((file: string, flags: AnalysisFlags) =>
    go(file, { kind: 'requirements' }, flags.csv ? 'csv' : 'json', flags),
  );

  const ask = program
    .command('ask')
    .description(
      'Answer a question from the document only: the best passages (BM25) quoted verbatim with page and\n' +
        'section, or "not in the document" when no passage covers the question.',
    )
    .summary('Answer a question with quotes from a document (offline)')
    .argument('<file>', 'the document')
    .argument('<question>', 'the question, quoted')
    .option('--json', 'write the JSON result (claims, quotes, passages, offsets)');
  common(ask, 'mdraft ask');
  ask.action((file: string, question: string, flags: AnalysisFlags) => {
    if (!question.trim()) fail(ask, 'the question is empty');
    return go(file, { kind: 'ask', question }, flags.json ? 'json' : 'text', flags);
  });

  const summary = program
    .command('summary')
    .description(
      'An extractive summary, whole and per section: every sentence is quoted from the document with its\n' +
        'page, section and offsets.',
    )
    .summary('Summarise a document with quoted sentences (offline)')
    .argument('<file>', 'the document')
    .option('--json', 'write the JSON result');
  common(summary, 'mdraft summary');
  summary.action((file: string, flags: AnalysisFlags) =>
    go(file, { kind: 'summary' }, flags.json ? 'json' : 'text', flags),
  );
}

/** The same output, error style and hint for every command: `mdraft convert: <reason>` then where to look. */
function configure(command: Command, io: CliIo, name: string): void {
  command
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: (text, write) => write(`${name}: ${text.replace(/^error: /, '')}`),
      getOutHelpWidth: () => columns(io.stdout),
      getErrHelpWidth: () => columns(io.stderr),
      getOutHasColors: () => false,
      getErrHasColors: () => false,
    })
    .showHelpAfterError(`Run \`${name} --help\` for usage.`);
}

function columns(stream: NodeJS.WritableStream): number {
  const tty = stream as { isTTY?: boolean; columns?: number };
  return tty.isTTY && tty.columns ? tty.columns : 100;
}

/** A validator from `args.ts` as a commander option parser: its `UsageError` becomes commander's usage error. */
function validated<T>(parse: (value: string) => T): (value: string) => T {
  return (value) => {
    try {
      return parse(value);
    } catch (error) {
      if (error instanceof UsageError) throw new InvalidArgumentError(error.message);
      throw error;
    }
  };
}

/** A usage error found after parsing (arguments that do not fit together): message, hint, exit 2. */
function fail(command: Command, message: string): never {
  command.error(message, { exitCode: 2, code: 'mdraft.usage' });
  throw new Error('unreachable: commander.error throws under exitOverride');
}

/** A bare word (no dot, no slash) reads as a mistyped command rather than a file name. */
function isCommandLike(word: string): boolean {
  return /^[a-z][a-z-]*$/i.test(word);
}

/** ` (did you mean convert?)` for a command within two edits of `word`, else nothing. */
function suggestion(word: string): string {
  const near = COMMANDS.find((c) => editDistance(c, word.toLowerCase()) <= 2);
  return near ? ` (did you mean ${near}?)` : '';
}

/** Levenshtein distance (insertions, deletions, substitutions), for short words. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++)
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length];
}

/** The version from the project's package.json, found upwards from this file (source or dist/). */
function version(): string {
  for (let dir = new URL('.', import.meta.url); dir.pathname !== '/'; dir = new URL('..', dir)) {
    try {
      const pkg = JSON.parse(fs.readFileSync(new URL('package.json', dir), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'mdraft' && pkg.version) return pkg.version;
    } catch {
      /* keep looking */
    }
  }
  return 'unknown';
}
