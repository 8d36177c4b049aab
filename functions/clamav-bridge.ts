/**
 * The scan bridge as a process (`node functions/clamav-bridge.ts`): the ingress container of the ClamAV
 * service on Cloud Run (terraform/modules/mdraft/clamav.tf), in front of the clamd sidecar on loopback.
 * Reads PORT (8080), MDRAFT_CLAMD_HOST (127.0.0.1), MDRAFT_CLAMD_PORT (3310), MDRAFT_SCAN_MAX_MB (100).
 */
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { ClamdScanner } from '../shared/adapters/clamav/clamd-scanner.ts';
import { createScanBridge } from '../shared/adapters/clamav/scan-bridge.ts';
import { log } from '../shared/service/logs.ts';

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const env = process.env;
  const scanner = new ClamdScanner({
    address: { host: env.MDRAFT_CLAMD_HOST ?? '127.0.0.1', port: Number(env.MDRAFT_CLAMD_PORT ?? 3310) },
  });
  const maxBytes = Number(env.MDRAFT_SCAN_MAX_MB ?? 100) * 1024 * 1024;
  const port = Number(env.PORT ?? 8080);
  createServer(createScanBridge({ scanner, maxBytes })).listen(port, '0.0.0.0', () =>
    log('INFO', 'scan bridge listening', { port, clamd: scanner.describe() }),
  );
}
