/**
 * Starts a real ClamAV daemon (`clamd` from Debian's `clamav-daemon`) for one test suite, on a unix socket in
 * a fresh temporary directory and on a free loopback TCP port, with a one-line signature database holding the
 * EICAR test signature (no signature download: freshclam never runs). Stopped afterwards; nothing stays
 * listening.
 *
 * A machine without clamd SKIPS those suites with a loud warning (`clamdMissing()` says why); `npm test`
 * (scripts/test-prerequisites.sh, its `pretest`) installs clamav-daemon, so every run has them.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { freePort, supervise } from '../../scripts/lib/supervised-process.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClamdScanner } from '../../shared/adapters/clamav/clamd-scanner.ts';
import { eicarHashSignature } from '../fixtures/eicar.ts';

export interface Clamd {
  socket: string;
  host: string;
  port: number;
  stop(): Promise<void>;
}

const CANDIDATES = ['/usr/sbin/clamd', '/usr/local/sbin/clamd', '/usr/bin/clamd'];

function clamdBinary(): string | undefined {
  const found = CANDIDATES.find((p) => existsSync(p));
  if (found) return found;
  const which = spawnSync('sh', ['-c', 'command -v clamd'], { encoding: 'utf8' });
  return which.status === 0 && which.stdout.trim() ? which.stdout.trim() : undefined;
}

/** Why clamd cannot run here, or undefined when it can. */
export function clamdMissing(): string | undefined {
  return clamdBinary()
    ? undefined
    : 'clamd is not installed (Debian: apt-get install -y clamav-daemon; `npm test` does this through scripts/test-prerequisites.sh)';
}

export function warnClamdSkipped(what: string): void {
  const line = '!'.repeat(100);
  console.warn(`${line}\n!! ${what} NOT RUN: ${clamdMissing()}.\n!! These tests prove nothing on this run.\n${line}`);
}

export async function startClamd(options: { readyTimeoutMs?: number } = {}): Promise<Clamd> {
  const binary = clamdBinary();
  if (!binary) throw new Error(`clamd tests cannot run: ${clamdMissing()}`);
  const dir = mkdtempSync(join(tmpdir(), 'mdraft-clamd-'));
  const db = join(dir, 'db');
  mkdirSync(db);
  writeFileSync(join(db, 'mdraft-test.hdb'), `${eicarHashSignature()}\n`);
  const socket = join(dir, 'clamd.sock');
  const port = await freePort();
  const conf = join(dir, 'clamd.conf');
  writeFileSync(
    conf,
    [
      'Foreground yes',
      `DatabaseDirectory ${db}`,
      `LocalSocket ${socket}`,
      `TCPSocket ${port}`,
      'TCPAddr 127.0.0.1',
      `PidFile ${join(dir, 'clamd.pid')}`,
      'LogFile /dev/null',
      'StreamMaxLength 100M',
      // The self-check would reload databases every 10 minutes; a test run never needs it.
      'SelfCheck 0',
      '',
    ].join('\n'),
  );
  const clamd = supervise(binary, ['-c', conf], { graceMs: 5000, keep: 4000 });
  const stop = async () => {
    await clamd.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  const probe = new ClamdScanner({ address: { socket }, timeoutMs: 1000 });
  const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
  while (!(await probe.ping())) {
    if (clamd.exited() || Date.now() > deadline) {
      await stop();
      throw new Error(`clamd did not answer PING on ${socket}:\n${clamd.output()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { socket, host: '127.0.0.1', port, stop };
}
