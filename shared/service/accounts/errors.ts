/** Errors the account use cases raise for the functions to map onto HTTP responses. */

/** No such key for this owner (also: another owner's key, an already revoked one, an id that is no key id). */
export class ApiKeyNotFoundError extends Error {
  constructor(message = 'API key not found') {
    super(message);
    this.name = 'ApiKeyNotFoundError';
  }
}
