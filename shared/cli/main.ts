/**
 * The `mdraft` entry point: runs the command table (`program.ts`) on the process's arguments and streams and
 * sets the exit code (0 ok, 1 failures, 2 usage). Nothing heavy is imported here: each command loads its own
 * module when it runs, and the conversion engine itself is only ever loaded by the sandbox's worker threads.
 * `bin/mdraft.js` checks the Node version before this module is imported.
 */
import { run } from './program.ts';

export type { CliIo as Io } from './program.ts';

/** Which of the standard streams this run created (each is created on first use: see `main`). */
const used = new Set<NodeJS.WriteStream>();

/** Runs `mdraft` with `argv` (the arguments after the command name) on this process's stdio. */
export async function main(argv: string[]): Promise<number> {
  // The streams are looked up only when a command uses them: creating one costs start-up time, which a
  // conversion written to a file with -q never needs. stdin likewise.
  return run(argv, {
    get stdin() {
      return process.stdin;
    },
    get stdout() {
      if (!used.has(process.stdout)) process.stdout.on('error', readerGone);
      used.add(process.stdout);
      return process.stdout;
    },
    get stderr() {
      used.add(process.stderr);
      return process.stderr;
    },
  });
}

/**
 * Standard output's reader went away (`mdraft big.pdf | head -1`): like other Unix tools, stop quietly with the
 * exit code so far instead of dying on the unhandled `EPIPE` with a stack trace. Any other write error is a
 * real failure and is thrown as before.
 */
function readerGone(error: NodeJS.ErrnoException): void {
  if (error.code !== 'EPIPE') throw error;
  process.exit();
}

/** Resolves once everything written to `stream` so far has been handed to the operating system. */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => stream.write('', () => resolve()));
}

process.exitCode = await main(process.argv.slice(2)).catch((error: unknown) => {
  used.add(process.stderr);
  process.stderr.write(
    `mdraft: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  return 1;
});
// The command is done and its output flushed: exit now instead of when the event loop has emptied. A single small
// document is converted on this thread under a watchdog thread (shared/engine/inline.ts) that is stopped when the
// conversion ends; if it is still starting up by then, an emptying event loop waits for its start-up to finish
// before the thread can be stopped, while exiting aborts it. Measured (callgrind and CPU time, 2-core machine under
// load): the waited-for start-up cost ~35 ms of CPU per run. Every command awaits its own work before `main`
// resolves, so nothing else is cut short.
await Promise.all([...used].map(flushed));
process.exit();
