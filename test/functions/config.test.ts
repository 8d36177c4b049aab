import { ConfigError, loadConfig } from '../../shared/service/config.ts';

test('defaults match the documented ones', () => {
  const c = loadConfig({});
  expect(c).toMatchObject({
    backend: 'local',
    port: 8080,
    host: '127.0.0.1',
    dataDir: '.mdraft',
    publicUrl: 'http://127.0.0.1:8080',
    buckets: { uploads: 'mdraft-uploads', results: 'mdraft-results' },
    uploadUrlTtlMs: 900_000,
    sizeLimits: { pdf: 25 * 1024 * 1024, office: 20 * 1024 * 1024, text: 5 * 1024 * 1024, image: 10 * 1024 * 1024 },
    retentionMs: 30 * 86400_000,
    maxAttempts: 5,
    workerUrl: 'http://127.0.0.1:8080/_tasks/convert',
    corsOrigins: ['*'],
  });
  expect(c.leaseMs).toBe(60_000);
  expect(c.leaseRenewMs).toBe(20_000);
});

test('values are parsed and validated; bad ones fail with every problem named', () => {
  const c = loadConfig({
    PORT: '9000',
    MDRAFT_LIMIT_PDF_MB: '50',
    MDRAFT_CORS_ORIGINS: 'https://a.example, https://b.example',
    MDRAFT_PUBLIC_URL: 'https://api.example/',
  });
  expect(c.sizeLimits.pdf).toBe(50 * 1024 * 1024);
  expect(c.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
  expect(c.publicUrl).toBe('https://api.example');
  expect(() => loadConfig({ MDRAFT_UPLOAD_URL_TTL_S: '3600' })).toThrow(ConfigError);
  expect(() => loadConfig({ MDRAFT_BACKEND: 'aws', PORT: 'x' })).toThrow(/MDRAFT_BACKEND.*PORT|PORT.*MDRAFT_BACKEND/);
  expect(() => loadConfig({ MDRAFT_SIGNING_SECRET: 'short' })).toThrow(/MDRAFT_SIGNING_SECRET/);
  expect(() => loadConfig({ MDRAFT_UPLOADS_BUCKET: 'Bad_Bucket!' })).toThrow(/MDRAFT_UPLOADS_BUCKET/);
});

test('OCR engine: tesseract by default, Document AI when a processor is configured in the cloud, or off', () => {
  const processor = 'projects/p/locations/us/processors/abc';
  expect(loadConfig({}).ocr).toEqual({ engine: 'tesseract' });
  expect(loadConfig({ MDRAFT_OCR: 'off' }).ocr).toEqual({ engine: 'off' });
  expect(loadConfig({ MDRAFT_BACKEND: 'gcp', MDRAFT_DOCUMENTAI_PROCESSOR: processor }).ocr).toEqual({
    engine: 'documentai',
    documentAiProcessor: processor,
  });
  expect(loadConfig({ MDRAFT_DOCUMENTAI_PROCESSOR: processor }).ocr).toEqual({ engine: 'tesseract' });
  expect(() => loadConfig({ MDRAFT_OCR: 'documentai' })).toThrow(/MDRAFT_DOCUMENTAI_PROCESSOR/);
  expect(() => loadConfig({ MDRAFT_DOCUMENTAI_PROCESSOR: 'not-a-processor' })).toThrow(ConfigError);
  expect(loadConfig({}).llm).toEqual({ tidy: false, model: 'gemini-2.5-flash', location: 'us-central1' });
});

test('the lost-worker grace must cover the queue maximum backoff (0 is refused)', () => {
  expect(() => loadConfig({ MDRAFT_LOST_WORKER_GRACE_S: '0' })).toThrow(ConfigError);
  expect(() => loadConfig({ MDRAFT_LOST_WORKER_GRACE_S: '30' })).toThrow(/maximum backoff/);
  expect(loadConfig({ MDRAFT_LOST_WORKER_GRACE_S: '60' }).lostWorkerGraceMs).toBe(60_000);
});

test('clamd: a socket wins over a host; neither = scanning off', () => {
  expect(loadConfig({}).scanner.clamd).toBeUndefined();
  expect(loadConfig({ MDRAFT_CLAMD_HOST: 'clamav.internal' }).scanner.clamd).toEqual({
    host: 'clamav.internal',
    port: 3310,
  });
  expect(
    loadConfig({ MDRAFT_CLAMD_SOCKET: '/run/clamd.sock', MDRAFT_CLAMD_HOST: 'x', MDRAFT_CLAMD_PORT: '4000' }).scanner
      .clamd,
  ).toEqual({ socket: '/run/clamd.sock' });
});

test('webhooks: documented defaults; the test allow-list takes IP addresses only and is refused on gcp', () => {
  expect(loadConfig({}).webhooks).toEqual({
    maxAttempts: 8,
    minBackoffMs: 30_000,
    maxBackoffMs: 3_600_000,
    timeoutMs: 10_000,
    testAllowHosts: [],
  });
  expect(loadConfig({ MDRAFT_WEBHOOK_TEST_ALLOW_HOSTS: '127.0.0.1, ::1' }).webhooks.testAllowHosts).toEqual([
    '127.0.0.1',
    '::1',
  ]);
  expect(() => loadConfig({ MDRAFT_WEBHOOK_TEST_ALLOW_HOSTS: 'localhost' })).toThrow(ConfigError);
  expect(() => loadConfig({ MDRAFT_BACKEND: 'gcp', MDRAFT_WEBHOOK_TEST_ALLOW_HOSTS: '127.0.0.1' })).toThrow(
    /gcp backend refuses it/,
  );
  expect(() => loadConfig({ MDRAFT_WEBHOOK_MAX_ATTEMPTS: '0' })).toThrow(ConfigError);
});
