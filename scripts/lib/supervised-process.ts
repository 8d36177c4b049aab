/**
 * A helper process the tests or a dev script start and must always stop: the Firestore emulator, the Firebase
 * Auth emulator, clamd. Keeps the tail of its output for error messages, kills it when the parent process exits
 * without stopping it, and on `stop()` asks with SIGTERM, then forces SIGKILL after `graceMs`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export interface Supervised {
  child: ChildProcess;
  /** The last few KB of stdout and stderr. */
  output(): string;
  /** How it ended, once it has (by itself or by `stop`); undefined while it runs. */
  exited(): { code: number | null; signal: NodeJS.Signals | null } | undefined;
  /** Stops it (and, with `group`, every process it started); idempotent. */
  stop(): Promise<void>;
}

export interface SuperviseOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /**
   * Start it as its own process group and signal the whole group: for launchers (gcloud, npx) whose real
   * server is a child of theirs.
   */
  group?: boolean;
  /** Wait this long after SIGTERM before SIGKILL. */
  graceMs: number;
  /** Characters of output kept. Default 8000. */
  keep?: number;
}

export function supervise(command: string, args: string[], options: SuperviseOptions): Supervised {
  const child = spawn(command, args, {
    ...(options.cwd ? { cwd: options.cwd } : {}),
    ...(options.env ? { env: options.env } : {}),
    detached: options.group ?? false,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = options.keep ?? 8000;
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-keep);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      resolve();
    }),
  );
  const kill = (signal: NodeJS.Signals) => {
    if (!options.group) return void child.kill(signal);
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // The group is already gone.
    }
  };
  // If the parent dies without stopping it, do not leave it listening.
  const onParentExit = () => kill('SIGKILL');
  process.once('exit', onParentExit);
  return {
    child,
    output: () => output,
    exited: () => exited,
    async stop() {
      process.removeListener('exit', onParentExit);
      if (!exited) {
        kill('SIGTERM');
        const timer = setTimeout(() => kill('SIGKILL'), options.graceMs);
        await exit;
        clearTimeout(timer);
      }
      // A launcher may exit before its own child: make sure the whole group is gone.
      if (options.group) kill('SIGKILL');
      child.stdout?.destroy();
      child.stderr?.destroy();
    },
  };
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}
