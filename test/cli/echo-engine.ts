/**
 * A test engine for the CLI: the sandbox's workers load it through `engineModule` instead of the real engine,
 * and it answers with the `ConvertOptions` it was given (as JSON in `markdown`), so a test can see exactly
 * what the command line asked for. Runs under Node's type stripping: type-only imports, no TS-only syntax.
 */
import type { ConvertOptions, ConvertResult } from '../../shared/engine/types.ts';

export async function convert(bytes: Uint8Array, options: ConvertOptions): Promise<ConvertResult> {
  const echo = { options, text: new TextDecoder().decode(bytes) };
  return { format: 'text', mediaType: 'text/plain', markdown: `${JSON.stringify(echo)}\n`, warnings: [] };
}
