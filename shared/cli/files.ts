/**
 * Which files to convert and where each result goes: directories are walked recursively and mirrored
 * under the output directory, each output named after its input plus `.md` (or `.json`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from './args.ts';

/** `-` as a source means stdin; as a target, stdout. */
export const STDIO = '-';

export interface Task {
  /** File path, or `-` for stdin. */
  source: string;
  /** How the file is named in progress lines and the summary (relative to the directory walked). */
  label: string;
  /** File path, or `-` for stdout. */
  target: string;
}

/** Extensions a directory walk picks up; files named explicitly are converted whatever their name. */
const DOCUMENT_EXTENSIONS = new Set([
  'pdf',
  'docx',
  'docm',
  'dotx',
  'pptx',
  'pptm',
  'ppsx',
  'potx',
  'xlsx',
  'xlsm',
  'xltx',
  'xls',
  'html',
  'htm',
  'xhtml',
  'csv',
  'tsv',
  'epub',
  'png',
  'jpg',
  'jpeg',
  'gif',
  'webp',
  'tif',
  'tiff',
  'bmp',
  'txt',
  'md',
  'markdown',
  'json',
]);

export function isDocumentName(name: string): boolean {
  const dot = name.lastIndexOf('.');
  return dot > 0 && DOCUMENT_EXTENSIONS.has(name.slice(dot + 1).toLowerCase());
}

export interface Plan {
  tasks: Task[];
  /** Files a directory walk passed over (not a document extension). */
  skipped: number;
  /** Several inputs or a directory: progress lines and a summary. */
  batch: boolean;
}

export function planTasks(inputs: string[], output: string | undefined, json: boolean): Plan {
  const suffix = json ? '.json' : '.md';
  const isDir = (p: string) => p !== STDIO && statOrUndefined(p)?.isDirectory() === true;
  if (inputs.length === 1 && !isDir(inputs[0])) {
    const source = inputs[0];
    const label = source === STDIO ? 'stdin' : source;
    if (output === undefined || output === STDIO)
      return { tasks: [{ source, label, target: STDIO }], skipped: 0, batch: false };
    const intoDir = output.endsWith('/') || output.endsWith(path.sep) || isDir(output);
    const target = intoDir
      ? path.join(output, `${source === STDIO ? 'stdin' : path.basename(source)}${suffix}`)
      : output;
    return { tasks: [{ source, label, target }], skipped: 0, batch: false };
  }
  if (output === undefined || output === STDIO) {
    throw new UsageError('converting several files or a directory needs -o <directory>');
  }
  if (statOrUndefined(output)?.isFile())
    throw new UsageError(`-o ${output} is a file; several inputs need a directory`);
  const outRoot = path.resolve(output);
  const tasks: Task[] = [];
  let skipped = 0;
  for (const input of inputs) {
    if (isDir(input)) {
      const walked = walk(input, outRoot);
      skipped += walked.skipped;
      for (const rel of walked.files) {
        tasks.push({
          source: path.join(input, rel),
          label: path.join(input, rel),
          target: path.join(output, `${rel}${suffix}`),
        });
      }
    } else {
      const name = input === STDIO ? 'stdin' : path.basename(input);
      tasks.push({
        source: input,
        label: input === STDIO ? 'stdin' : input,
        target: path.join(output, `${name}${suffix}`),
      });
    }
  }
  const seen = new Map<string, string>();
  for (const t of tasks) {
    const key = path.resolve(t.target);
    const other = seen.get(key);
    if (other) throw new UsageError(`${other} and ${t.label} would both be written to ${t.target}`);
    seen.set(key, t.label);
  }
  return { tasks, skipped, batch: true };
}

/**
 * Document files under `dir`, as paths relative to it, sorted. Hidden entries and the output directory are
 * left out (re-running into a folder inside the input must not convert its own outputs); symbolic links to
 * directories are not followed, so a link cycle cannot loop.
 */
export function walk(dir: string, exclude?: string): { files: string[]; skipped: number } {
  const files: string[] = [];
  let skipped = 0;
  const visit = (abs: string, rel: string) => {
    const entries = fs
      .readdirSync(abs, { withFileTypes: true })
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const childAbs = path.join(abs, e.name);
      const childRel = rel ? path.join(rel, e.name) : e.name;
      if (exclude && path.resolve(childAbs) === exclude) continue;
      const isFile = e.isFile() || (e.isSymbolicLink() && statOrUndefined(childAbs)?.isFile() === true);
      if (e.isDirectory()) visit(childAbs, childRel);
      else if (isFile && isDocumentName(e.name)) files.push(childRel);
      else if (isFile) skipped++;
    }
  };
  visit(dir, '');
  return { files, skipped };
}

function statOrUndefined(p: string): fs.Stats | undefined {
  try {
    return fs.statSync(p);
  } catch {
    return undefined;
  }
}
