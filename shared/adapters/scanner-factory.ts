/**
 * The malware scanner from configuration: clamd over `MDRAFT_CLAMD_SOCKET`, or `MDRAFT_CLAMD_HOST` and
 * `MDRAFT_CLAMD_PORT`; or the HTTP scan bridge at `MDRAFT_SCANNER_URL` (on the gcp backend with an ID token
 * from the metadata server). None configured = scanning off, said once in the log at start.
 */
import type { Config } from '../service/config.ts';
import type { Scanner } from '../service/ports.ts';
import { ClamdScanner } from './clamav/clamd-scanner.ts';
import { HttpScanner, metadataIdToken } from './clamav/http-scanner.ts';
import { logs } from '../service/logs.ts';

export function scannerFromConfig(config: Config): Scanner | undefined {
  const address = config.scanner.clamd;
  if (address) {
    const scanner = new ClamdScanner({ address, timeoutMs: config.scanner.timeoutMs });
    logs.scannerOn({ scanner: scanner.kind, address: scanner.describe() });
    return scanner;
  }
  if (config.scanner.url) {
    const scanner = new HttpScanner({
      url: config.scanner.url,
      timeoutMs: config.scanner.timeoutMs,
      ...(config.backend === 'gcp' ? { idToken: metadataIdToken } : {}),
    });
    logs.scannerOn({ scanner: scanner.kind, address: config.scanner.url });
    return scanner;
  }
  logs.scannerOff({ reason: 'none of MDRAFT_CLAMD_SOCKET, MDRAFT_CLAMD_HOST, MDRAFT_SCANNER_URL is set' });
  return undefined;
}
