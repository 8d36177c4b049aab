/**
 * The `mdraft` command line: parse, dispatch to a subcommand, set the exit code (0 ok, 1 failures, 2 usage).
 * Subcommands are imported on demand so `--help` and `--version` start instantly; the conversion engine
 * itself is only ever loaded by the sandbox's worker threads.
 */
import fs from 'node:fs';
import { parseCommand, UsageError, type Command } from './args.ts';

export async function main(argv: string[]): Promise<number> {
  // Pipeline client subcommands (own modules, own option parsing).
  if (argv[0] === 'dev-key') return (await import('./dev-key.ts')).run(argv.slice(1));
  if (argv[0] === 'submit') return (await import('./submit.ts')).run(argv.slice(1));
  let command: Command;
  try {
    command = parseCommand(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`mdraft: ${error.message}\nRun \`mdraft --help\` for usage.\n`);
    return 2;
  }
  switch (command.kind) {
    case 'help':
      process.stdout.write(`${command.text}\n`);
      return 0;
    case 'version':
      process.stdout.write(`${version()}\n`);
      return 0;
    case 'convert': {
      const { runConvert } = await import('./convert-command.ts');
      try {
        return await runConvert(command.args, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });
      } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        process.stderr.write(`mdraft: ${error.message}\n`);
        return 2;
      }
    }
  }
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

process.exitCode = await main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(
    `mdraft: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  return 1;
});
