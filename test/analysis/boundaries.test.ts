/** The `shared/analysis` zone of the import-boundary lint bites: no adapter, CLI, function or service use case. */
import path from 'node:path';
import { ESLint } from 'eslint';

const root = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root });

async function boundaryErrors(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: path.join(root, file) });
  return result.messages.filter((m) => m.ruleId === 'import-x/no-restricted-paths').map((m) => m.message);
}

describe('shared/analysis import boundaries', () => {
  test.each([
    [
      'adapters',
      "import { createGeminiTidy } from '../adapters/gcp/gemini-tidy.ts';\nexport const x = createGeminiTidy;\n",
    ],
    ['cli', "import { run } from '../cli/program.ts';\nexport const x = run;\n"],
    ['functions', "export const x = () => import('../../functions/local.ts');\n"],
    ['service use cases', "import { backoffDelay } from '../service/backoff.ts';\nexport const x = backoffDelay;\n"],
  ])('may not import %s', async (_name, source) => {
    expect(await boundaryErrors('shared/analysis/probe.ts', source)).toHaveLength(1);
  });

  test.each([
    ['the engine', "import type { PageResult } from '../engine/types.ts';\nexport type X = PageResult;\n"],
    ['the service ports', "import type { Llm } from '../service/ports.ts';\nexport type X = Llm;\n"],
  ])('may import %s', async (_name, source) => {
    expect(await boundaryErrors('shared/analysis/probe.ts', source)).toEqual([]);
  });
});
