/**
 * The layering and the formatting are checked by `npm test` (`npm run lint`); these tests prove the checks
 * bite: a wrong-way import and a badly formatted file are reported, a right-way import is not.
 */
import path from 'node:path';
import { ESLint } from 'eslint';
import * as prettier from 'prettier';

const root = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root });

async function boundaryErrors(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: path.join(root, file) });
  return result.messages.filter((m) => m.ruleId === 'import-x/no-restricted-paths').map((m) => m.message);
}

describe('import boundaries', () => {
  test.each([
    ['shared/engine/probe.ts', "import { loadConfig } from '../service/config.ts';\nexport const x = loadConfig;\n"],
    [
      'shared/engine/formats/pdf/probe.ts',
      "export const x = () => import('../../../adapters/local/tesseract-ocr.ts');\n",
    ],
    ['shared/engine/probe.ts', "import { main } from '../cli/main.ts';\nexport const x = main;\n"],
    [
      'shared/service/jobs/probe.ts',
      "import { createAdapters } from '../../adapters/index.ts';\nexport const x = createAdapters;\n",
    ],
    ['shared/service/probe.ts', "import type { Io } from '../cli/main.ts';\nexport type X = Io;\n"],
    [
      'shared/adapters/local/probe.ts',
      "import { startLocal } from '../../../functions/local.ts';\nexport const x = startLocal;\n",
    ],
    ['shared/common/probe.ts', "import { loadConfig } from '../service/config.ts';\nexport const x = loadConfig;\n"],
  ])('%s may not import %s', async (file, source) => {
    expect(await boundaryErrors(file, source)).toHaveLength(1);
  });

  test.each([
    ['shared/service/jobs/probe.ts', "import { convert } from '../../engine/engine.ts';\nexport const x = convert;\n"],
    [
      'shared/adapters/local/probe.ts',
      "import type { JobStore } from '../../service/ports.ts';\nexport type X = JobStore;\n",
    ],
    [
      'shared/cli/probe.ts',
      "import { createConverterPool } from '../engine/sandbox.ts';\nexport const x = createConverterPool;\n",
    ],
    ['shared/analysis/probe.ts', "import { csvField } from '../common/csv.ts';\nexport const x = csvField;\n"],
    ['shared/service/probe.ts', "import { csvField } from '../common/csv.ts';\nexport const x = csvField;\n"],
  ])('%s may import %s', async (file, source) => {
    expect(await boundaryErrors(file, source)).toEqual([]);
  });
});

describe('formatting', () => {
  test('a file prettier would change fails the check; a formatted one passes', async () => {
    const options = {
      ...(await prettier.resolveConfig(path.join(root, 'shared/engine/probe.ts'))),
      filepath: 'probe.ts',
    };
    expect(await prettier.check('export const  x = {a:1}\n', options)).toBe(false);
    expect(await prettier.check('export const x = { a: 1 };\n', options)).toBe(true);
  });
});

describe('regular expressions', () => {
  // The rule's analysis catches quantifiers that trade characters (below); it misses some nested-group cases such
  // as the old HTML prolog pattern, which the adversarial property tests of detection cover instead.
  test('a pattern that backtracks super-linearly is refused in the engine', async () => {
    const [result] = await eslint.lintText('export const range = /^\\s*(\\d+)\\s*\\s*$/;\n', {
      filePath: path.join(root, 'shared/engine/probe.ts'),
    });
    expect(result.messages.map((m) => m.ruleId)).toContain('regexp/no-super-linear-backtracking');
  });
});
