/**
 * `mdraft dev-key` (a separate process, beside the running server) and `mdraft submit` (several files at
 * once through the whole flow) against the embedded server over HTTP.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { run } from '../../shared/cli/program.ts';
import { convert } from '../../shared/engine/engine.ts';
import { inProcessRunner } from '../../shared/service/jobs/runner.ts';
import { Client, startTestServer, type TestServer } from './client.ts';

const exec = promisify(execFile);
let server: TestServer;
let work: string;

beforeAll(async () => {
  server = await startTestServer({}, { runner: inProcessRunner });
  work = mkdtempSync(join(tmpdir(), 'mdraft-cli-'));
});

afterAll(async () => {
  await server?.stop();
  rmSync(work, { recursive: true, force: true });
});

/** `mdraft submit …` through the command table, in-process. */
const submit = (argv: string[], io: { stdout: PassThrough; stderr: PassThrough }) =>
  run(['submit', ...argv], { stdin: new PassThrough(), ...io });

function capture() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c) => (out += c));
  stderr.on('data', (c) => (err += c));
  return { io: { stdout, stderr }, out: () => out, err: () => err };
}

test('dev-key, run as its own process while the server runs, prints a working key on the last line', async () => {
  const main = new URL('../../shared/cli/main.ts', import.meta.url).pathname;
  const { stdout } = await exec(process.execPath, [main, 'dev-key', '--user', 'dana', '--data-dir', server.dataDir], {
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  const key = stdout.trim().split('\n').at(-1)!;
  expect(key).toMatch(/^mdk_[A-Za-z0-9_-]{43}$/);
  const res = await new Client(server.url, key).request('/v1/jobs');
  expect(res.status).toBe(200);
  // The same user again: another key, same owner.
  const again = await exec(process.execPath, [main, 'dev-key', '--user', 'dana', '--data-dir', server.dataDir], {
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  const key2 = again.stdout.trim().split('\n').at(-1)!;
  expect(key2).not.toBe(key);
  expect((await server.deps.accounts.listApiKeys('dana')).length).toBe(2);
  await expect(
    exec(process.execPath, [main, 'dev-key', '--user', '../x', '--data-dir', server.dataDir]),
  ).rejects.toMatchObject({ code: 2 });
}, 30_000);

test('submit converts several files concurrently into an output directory', async () => {
  const files = {
    'a.csv': 'x,y\n1,2\n3,4\n',
    'b.html': '<!doctype html><html><body><h1>Title</h1><p>Body text.</p></body></html>',
    'c.md': '# Heading\n\nText with **bold**.\n',
  };
  const paths = Object.entries(files).map(([name, content]) => {
    const p = join(work, name);
    writeFileSync(p, content);
    return p;
  });
  const out = join(work, 'out');
  const c = capture();
  const code = await submit(
    [...paths, '--api', server.url, '--key', server.apiKey!, '-o', out, '--concurrency', '3'],
    c.io,
  );
  expect({ code, err: c.err() }).toMatchObject({ code: 0 });
  for (const [name, content] of Object.entries(files)) {
    const expected = (await convert(Buffer.from(content), { fileName: name })).markdown;
    expect(readFileSync(join(out, `${name}.md`), 'utf8')).toBe(expected);
  }
}, 30_000);

test('submit: one file to stdout; a failing file gives exit 1; bad usage exit 2', async () => {
  const one = join(work, 'one.txt');
  writeFileSync(one, 'single line\n');
  const c = capture();
  expect(await submit([one, '--api', server.url, '--key', server.apiKey!], c.io)).toBe(0);
  expect(c.out()).toBe((await convert(Buffer.from('single line\n'), { fileName: 'one.txt' })).markdown);

  const binary = join(work, 'blob.bin');
  writeFileSync(binary, Buffer.from(Array.from({ length: 200 }, (_, i) => (i * 53) % 256)));
  const d = capture();
  expect(await submit([binary, one, '--api', server.url, '--key', server.apiKey!, '-o', join(work, 'o2')], d.io)).toBe(
    1,
  );
  expect(d.err()).toContain('unsupported_format');
  expect(readFileSync(join(work, 'o2', 'one.txt.md'), 'utf8')).toContain('single line');

  const e = capture();
  expect(await submit([one, '--api', server.url, '--key', 'mdk_wrong'], e.io)).toBe(1);
  expect(e.err()).toContain('unauthenticated');
  expect(await submit([one], capture().io)).toBe(2);
  expect(await submit(['--api', server.url, '--key', 'k'], capture().io)).toBe(2);
}, 30_000);
