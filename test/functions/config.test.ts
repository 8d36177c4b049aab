import { ConfigError, loadConfig } from '../../shared/config.ts';

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
  expect(c.leaseMs).toBeGreaterThan(c.convertTimeoutMs);
});

test('values are parsed and validated; bad ones fail with every problem named', () => {
  const c = loadConfig({ PORT: '9000', MDRAFT_LIMIT_PDF_MB: '50', MDRAFT_CORS_ORIGINS: 'https://a.example, https://b.example', MDRAFT_PUBLIC_URL: 'https://api.example/' });
  expect(c.sizeLimits.pdf).toBe(50 * 1024 * 1024);
  expect(c.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
  expect(c.publicUrl).toBe('https://api.example');
  expect(() => loadConfig({ MDRAFT_UPLOAD_URL_TTL_S: '3600' })).toThrow(ConfigError);
  expect(() => loadConfig({ MDRAFT_BACKEND: 'aws', PORT: 'x' })).toThrow(/MDRAFT_BACKEND.*PORT|PORT.*MDRAFT_BACKEND/);
  expect(() => loadConfig({ MDRAFT_SIGNING_SECRET: 'short' })).toThrow(/MDRAFT_SIGNING_SECRET/);
  expect(() => loadConfig({ MDRAFT_UPLOADS_BUCKET: 'Bad_Bucket!' })).toThrow(/MDRAFT_UPLOADS_BUCKET/);
});
