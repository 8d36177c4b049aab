/**
 * The CLI's remote commands against the embedded server over HTTP, through the client generated from the
 * OpenAPI document (`shared/client/`): `submit`, then
 * `jobs list|get|result|delete` and `usage` (table, JSON and CSV), paging, API errors (exit 1 with the error
 * code and request id), an unreachable server (exit 1) and usage errors (exit 2).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { createServer as createHttpServer } from 'node:http';
import { PassThrough } from 'node:stream';
import { run } from '../../shared/cli/program.ts';
import { startTestServer, type TestServer } from './client.ts';

let server: TestServer;
let work: string;

beforeAll(async () => {
  server = await startTestServer(
    {},
    {
      runner: async (bytes) => ({
        format: 'markdown',
        mediaType: 'text/markdown',
        markdown: Buffer.from(bytes).toString(),
        warnings: [],
      }),
    },
  );
  work = mkdtempSync(join(tmpdir(), 'mdraft-remote-'));
});

afterAll(async () => {
  await server?.stop();
  rmSync(work, { recursive: true, force: true });
});

/** Runs `mdraft …` in-process against the test server (its key unless `key` is given). */
async function mdraft(argv: string[], key = server.apiKey!): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c) => (out += c));
  stderr.on('data', (c) => (err += c));
  const remote = argv[0] === 'usage' || argv[0] === 'submit' ? 1 : argv[0] === 'jobs' ? 2 : 0;
  const args = remote ? [...argv.slice(0, remote), '--api', server.url, '--key', key, ...argv.slice(remote)] : argv;
  const code = await run(args, { stdin: new PassThrough(), stdout, stderr });
  return { code, stdout: out, stderr: err };
}

function file(name: string, content: string): string {
  const p = join(work, name);
  writeFileSync(p, content);
  return p;
}

test('submit, then jobs list, get, result (Markdown and JSON), usage and delete', async () => {
  const text = '# Remote\n\nThrough the typed client.\n';
  const submitted = await mdraft(['submit', file('remote.md', text)]);
  expect(submitted).toMatchObject({ code: 0, stdout: text });

  const listed = await mdraft(['jobs', 'list', '--json']);
  expect(listed.code).toBe(0);
  const { jobs } = JSON.parse(listed.stdout) as { jobs: Array<{ id: string; filename: string; status: string }> };
  const job = jobs.find((j) => j.filename === 'remote.md')!;
  expect(job.status).toBe('succeeded');

  const table = await mdraft(['jobs', 'list']);
  expect(table.stdout.split('\n')[0]).toMatch(/^ID +STATUS +CREATED +PAGES +FILE$/);
  expect(table.stdout).toMatch(new RegExp(`\\n${job.id} +succeeded .*remote\\.md\\n`));

  const got = await mdraft(['jobs', 'get', job.id]);
  expect(got.code).toBe(0);
  expect(JSON.parse(got.stdout)).toMatchObject({ id: job.id, status: 'succeeded', filename: 'remote.md' });

  expect(await mdraft(['jobs', 'result', job.id])).toEqual({ code: 0, stdout: text, stderr: '' });
  const out = join(work, 'remote.json');
  const saved = await mdraft(['jobs', 'result', job.id, '--json', '-o', out]);
  expect(saved).toMatchObject({ code: 0, stdout: '' });
  expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ markdown: text });

  const usage = await mdraft(['usage', '--group-by', 'format']);
  expect(usage.code).toBe(0);
  expect(usage.stdout).toMatch(
    /^usage \d{4}-\d{2}-01 to \d{4}-\d{2}-\d{2}, by format\nFORMAT +JOBS +FAILED +UNITS +PAGES\n/,
  );
  expect(usage.stdout).toMatch(/\nmarkdown +[1-9]\d* +0 +/);
  expect(usage.stdout).toMatch(/\ntotal +[1-9]\d* +0 +/);
  const usageJson = JSON.parse((await mdraft(['usage', '--json'])).stdout) as {
    groupBy: string;
    total: { jobs: number };
  };
  expect(usageJson.groupBy).toBe('day');
  expect(usageJson.total.jobs).toBeGreaterThanOrEqual(1);
  const csv = await mdraft(['usage', '--csv']);
  expect(csv.stdout.startsWith('day,format,jobs,failures,units,pages,ai_calls\r\n')).toBe(true);
  expect(csv.stdout).toContain(',markdown,');

  expect(await mdraft(['jobs', 'delete', job.id])).toEqual({ code: 0, stdout: '', stderr: `deleted ${job.id}\n` });
  const gone = await mdraft(['jobs', 'get', job.id]);
  expect(gone.code).toBe(1);
  expect(gone.stderr).toMatch(/^mdraft jobs get: not_found: job not found \(request [0-9a-f]+\)\n$/);
});

test('jobs list pages with --limit and --cursor, and --all walks every page', async () => {
  for (const i of [1, 2, 3]) expect((await mdraft(['submit', file(`p${i}.md`, `page ${i}\n`)])).code).toBe(0);
  const first = await mdraft(['jobs', 'list', '--limit', '2']);
  expect(first.stdout.trim().split('\n')).toHaveLength(3); // header + 2
  const cursor = /^more: --cursor (\S+) \(or --all\)\n$/.exec(first.stderr)?.[1];
  expect(cursor).toBeDefined();
  const second = JSON.parse((await mdraft(['jobs', 'list', '--limit', '2', '--cursor', cursor!, '--json'])).stdout) as {
    jobs: Array<{ id: string }>;
  };
  expect(second.jobs.length).toBeGreaterThanOrEqual(1);
  for (const j of second.jobs) expect(first.stdout).not.toContain(j.id);
  const all = JSON.parse((await mdraft(['jobs', 'list', '--limit', '2', '--all', '--json'])).stdout) as {
    jobs: unknown[];
    nextCursor?: string;
  };
  expect(all.jobs.length).toBeGreaterThanOrEqual(3);
  expect(all.nextCursor).toBeUndefined();
});

test('jobs list --search finds jobs by a word prefix of their file name (GET /v1/jobs?q=), paged like a plain list', async () => {
  for (const name of ['Zephyr report.md', 'zephyr-minutes.md', 'Reports of zephyrs.md', 'unrelated.md'])
    expect((await mdraft(['submit', file(name, `${name}\n`)])).code).toBe(0);
  const names = async (...args: string[]) => {
    const out = await mdraft(['jobs', 'list', '--all', '--json', ...args]);
    expect(out).toMatchObject({ code: 0, stderr: '' });
    return (JSON.parse(out.stdout) as { jobs: Array<{ filename: string }> }).jobs.map((j) => j.filename).sort();
  };
  expect(await names('--search', 'ZEPH')).toEqual(['Reports of zephyrs.md', 'Zephyr report.md', 'zephyr-minutes.md']);
  expect(await names('--search', 'minutes')).toEqual(['zephyr-minutes.md']);
  expect(await names('--search', 'phyr')).toEqual([]); // a prefix of a word, not any substring
  // The table pages the search; the hint repeats it with the cursor.
  const first = await mdraft(['jobs', 'list', '--search', 'zephyr', '--limit', '2']);
  expect(first.stdout.trim().split('\n')).toHaveLength(3);
  const cursor = /^more: --search "zephyr" --cursor (\S+) \(or --all\)\n$/.exec(first.stderr)?.[1];
  expect(cursor).toBeDefined();
  const rest = await mdraft(['jobs', 'list', '--search', 'zephyr', '--limit', '2', '--cursor', cursor!]);
  expect(rest.stdout.trim().split('\n')).toHaveLength(2);
  expect(rest.stdout).toMatch(/zephyr/i);
  // Text the API cannot search for is its refusal: exit 1 with the code.
  const refused = await mdraft(['jobs', 'list', '--search', '!!']);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toMatch(/^mdraft jobs list: invalid_query: /);
});

test('API refusals exit 1 with the code; an unreachable API exits 1; usage errors exit 2', async () => {
  const refused = await mdraft(['jobs', 'list'], `mdk_${'A'.repeat(43)}`);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toMatch(/^mdraft jobs list: unauthenticated: /);
  const notReady = await mdraft(['usage', '--from', '2024-03-01', '--to', '2024-01-01']);
  expect(notReady.code).toBe(1);
  expect(notReady.stderr).toMatch(/^mdraft usage: invalid_query: `from` is after `to`/);

  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let err = '';
  stderr.on('data', (c) => (err += c));
  // A port that was free a moment ago: nothing listens there.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as { port: number }).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  const down = await run(['jobs', 'list', '--api', `http://127.0.0.1:${port}`, '--key', 'k'], {
    stdin: new PassThrough(),
    stdout,
    stderr,
  });
  expect(down).toBe(1);
  expect(err).toMatch(/^mdraft jobs list: cannot reach the API/);

  expect((await mdraft(['usage', '--from', '2024-13-01'])).stderr).toMatch(
    /'--from <YYYY-MM-DD>' argument '2024-13-01' is invalid/,
  );
  expect((await mdraft(['usage', '--from', '2024-13-01'])).code).toBe(2);
  expect((await mdraft(['usage', '--group-by', 'week'])).code).toBe(2);
  expect((await mdraft(['jobs', 'get'])).stderr).toMatch(/^mdraft jobs get: missing required argument 'id'/);
  expect((await mdraft(['jobs', 'list', '--limit', '101'])).code).toBe(2);
  const saved = process.env.MDRAFT_API_KEY;
  delete process.env.MDRAFT_API_KEY; // --key falls back to it
  const noKey = await run(['jobs', 'list'], {
    stdin: new PassThrough(),
    stdout: new PassThrough(),
    stderr: new PassThrough(),
  });
  if (saved !== undefined) process.env.MDRAFT_API_KEY = saved;
  expect(noKey).toBe(2);
});

test("a result that is not there is the API's code, not a download: 409 result_not_ready, 404 not_found", async () => {
  const created = (await (
    await fetch(`${server.url}/v1/jobs`, {
      method: 'POST',
      headers: { 'X-API-Key': server.apiKey!, 'Content-Type': 'application/json' },
      body: JSON.stringify({ filename: 'later.md', contentType: 'text/markdown', size: 5 }),
    })
  ).json()) as { job: { id: string } };
  const early = await mdraft(['jobs', 'result', created.job.id]);
  expect(early.code).toBe(1);
  expect(early.stdout).toBe('');
  expect(early.stderr).toMatch(/^mdraft jobs result: result_not_ready: .* \(request [0-9a-f]+\)\n$/);
  const missing = await mdraft(['jobs', 'result', 'job_AAAAAAAAAAAAAAAAAAAAAA']);
  expect(missing.stderr).toMatch(/^mdraft jobs result: not_found: /);
  const failed = await mdraft(['submit', file('nothing.md', '')]);
  expect(failed.code).toBe(1);
  expect(failed.stderr).toMatch(/nothing\.md: failed: /);
});

test("an answer that is not the error envelope (a proxy page) is http_<status> with the response's request id", async () => {
  const proxy = createHttpServer((_req, res) =>
    res.writeHead(502, { 'Content-Type': 'text/html', 'X-Request-Id': 'proxy-42' }).end('<h1>Bad gateway</h1>'),
  );
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const api = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;
  try {
    let err = '';
    const stderr = new PassThrough();
    stderr.on('data', (c) => (err += c));
    const code = await run(['jobs', 'get', 'job_x', '--api', api, '--key', 'k'], {
      stdin: new PassThrough(),
      stdout: new PassThrough(),
      stderr,
    });
    expect(code).toBe(1);
    expect(err).toBe('mdraft jobs get: http_502: HTTP 502 (request proxy-42)\n');
  } finally {
    proxy.closeAllConnections();
    await new Promise<void>((resolve) => proxy.close(() => resolve()));
  }
});
