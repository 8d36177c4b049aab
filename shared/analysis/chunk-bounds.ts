/**
 * The chunk sizes callers may ask for, apart from the chunker (`chunks.ts`) so that validating an argument
 * (the CLI's `--chunk-tokens`, checked at start-up) does not load the Markdown parser the chunker needs.
 */

/** The default target size of a chunk, in estimated tokens (4 characters a token: `tokens.ts`). */
export const DEFAULT_CHUNK_TOKENS = 512;

/**
 * The target sizes callers may ask for (the API's `targetTokens`, the CLI's `--chunk-tokens`): below 64
 * estimated tokens a chunk is rarely a whole sentence; above 8192 it no longer narrows retrieval.
 */
export const CHUNK_TOKEN_BOUNDS = { min: 64, max: 8192 } as const;
