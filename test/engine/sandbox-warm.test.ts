/**
 * `ConverterPool.warm`: the converters start (are forked) when asked, before any job, so a server pays the
 * fork while it is small and serves no one; the warmed converter then takes the first job without a new fork.
 */
import fs from 'node:fs';
import { createConverterPool } from '../../shared/engine/sandbox.ts';

function children(): number[] {
  const pids: number[] = [];
  for (const task of fs.readdirSync('/proc/self/task')) {
    try {
      const listed = fs.readFileSync(`/proc/self/task/${task}/children`, 'utf8').split(/\s+/).filter(Boolean);
      pids.push(...listed.map(Number));
    } catch {
      /* a thread that ended meanwhile */
    }
  }
  return pids;
}

const canSee = fs.existsSync(`/proc/self/task/${process.pid}/children`);
if (!canSee) process.stderr.write('sandbox-warm: WARNING no /proc children lists here: test skipped\n');

(canSee ? test : test.skip)(
  'warm() forks the converters up front; the first job uses them',
  async () => {
    const pool = createConverterPool({ isolation: 'process', size: 2, timeoutMs: 30_000 });
    try {
      const before = new Set(children());
      pool.warm();
      const warmed = children().filter((pid) => !before.has(pid));
      expect(warmed).toHaveLength(2);
      pool.warm(); // already at size: nothing more
      expect(children().filter((pid) => !before.has(pid))).toEqual(warmed);
      const result = await pool.convert(new TextEncoder().encode('Warm hello.\n'), { fileName: 'a.txt' });
      expect(result.markdown).toContain('Warm hello.');
      expect(
        children()
          .filter((pid) => !before.has(pid))
          .sort(),
      ).toEqual([...warmed].sort());
    } finally {
      await pool.close();
    }
  },
  60_000,
);
