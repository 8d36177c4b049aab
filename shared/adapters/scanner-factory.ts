/**
 * The malware scanner from configuration: clamd over `MDRAFT_CLAMD_SOCKET`, or `MDRAFT_CLAMD_HOST` and
 * `MDRAFT_CLAMD_PORT`; none configured = scanning off, said once in the log at start.
 */
import type { Config } from '../service/config.ts';
import type { Scanner } from '../service/ports.ts';
import { ClamdScanner } from './clamav/clamd-scanner.ts';
import { logs } from '../service/logs.ts';

export function scannerFromConfig(config: Config): Scanner | undefined {
  const address = config.scanner.clamd;
  if (!address) {
    logs.scannerOff({ reason: 'neither MDRAFT_CLAMD_SOCKET nor MDRAFT_CLAMD_HOST is set' });
    return undefined;
  }
  const scanner = new ClamdScanner({ address, timeoutMs: config.scanner.timeoutMs });
  logs.scannerOn({ scanner: scanner.kind, address: scanner.describe() });
  return scanner;
}
