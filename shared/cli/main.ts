/**
 * The `mdraft` entry point: runs the command table (`program.ts`) on the process's arguments and streams and
 * sets the exit code (0 ok, 1 failures, 2 usage). Nothing heavy is imported here: each command loads its own
 * module when it runs, and the conversion engine itself is only ever loaded by the sandbox's worker threads.
 * `bin/mdraft.js` checks the Node version before this module is imported.
 */
import { run } from './program.ts';

export type { CliIo as Io } from './program.ts';

/** Runs `mdraft` with `argv` (the arguments after the command name) on this process's stdio. */
export async function main(argv: string[]): Promise<number> {
  // stdin is looked up only when a command reads it: creating the stream costs start-up time.
  return run(argv, {
    get stdin() {
      return process.stdin;
    },
    stdout: process.stdout,
    stderr: process.stderr,
  });
}

process.exitCode = await main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(
    `mdraft: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  return 1;
});
