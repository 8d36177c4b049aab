/**
 * docs/capacity.md and the prod environment agree: every Terraform setting the plan names (`name = value` in
 * the document) is set to that value in terraform/envs/prod/main.tf, and the dispatch rate stays under the
 * Document AI request quota the plan relies on (600 a minute).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const doc = fs.readFileSync(path.join(REPO, 'docs/capacity.md'), 'utf8');
const prod = fs.readFileSync(path.join(REPO, 'terraform/envs/prod/main.tf'), 'utf8');
const SETTINGS = ['worker_max_instances', 'tasks_max_dispatches_per_second', 'api_max_instances'];

function valuesIn(text: string, name: string): number[] {
  return [...text.matchAll(new RegExp(`\\b${name}\\s*=\\s*(\\d+)`, 'g'))].map((m) => Number(m[1]));
}

test.each(SETTINGS)('%s: the plan and prod say the same', (name) => {
  const planned = [...new Set(valuesIn(doc, name))];
  expect(planned).toHaveLength(1);
  expect(valuesIn(prod, name)).toEqual(planned);
});

test('the planned dispatch rate covers the peak and stays under the Document AI quota', () => {
  const rate = valuesIn(prod, 'tasks_max_dispatches_per_second')[0];
  const peakJobsPerSecond = Number(/\*\*(\d+(?:\.\d+)?) jobs\/s\*\*/.exec(doc)?.[1]);
  expect(rate).toBeGreaterThan(peakJobsPerSecond);
  expect(rate * 60).toBeLessThan(600);
  // Little's law: the workers allowed cover the dispatch rate at the plan's mean job time.
  const meanJobSeconds = Number(/≈ \*\*(\d+(?:\.\d+)?) s\*\*\s*\|\s*$/m.exec(doc)?.[1]);
  expect(meanJobSeconds).toBeGreaterThan(0);
  expect(valuesIn(prod, 'worker_max_instances')[0]).toBeGreaterThanOrEqual(Math.ceil(rate * meanJobSeconds));
});
