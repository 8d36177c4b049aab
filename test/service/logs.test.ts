import { jest } from '@jest/globals';
import { log, logs, setLogLevel } from '../../shared/service/logs.ts';

function capture(run: () => void): Record<string, unknown>[] {
  const lines: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    run();
  } finally {
    spy.mockRestore();
  }
  return lines.map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('structured logs', () => {
  beforeAll(() => setLogLevel('debug'));
  afterAll(() => setLogLevel('silent'));

  test('a failed conversion keeps its event name; the error text is a field', () => {
    const [entry] = capture(() =>
      logs.conversionFailed({ jobId: 'j1', code: 'corrupt', detail: 'bad xref table', final: true }),
    );
    expect(entry).toMatchObject({ severity: 'WARNING', message: 'conversion failed', detail: 'bad xref table' });
  });

  test('no field can overwrite the event name or the severity', () => {
    const [entry] = capture(() => log('INFO', 'job created', { message: 'injected', severity: 'DEBUG' }));
    expect(entry).toMatchObject({ message: 'job created', severity: 'INFO' });
  });

  test('below the threshold nothing is written', () => {
    setLogLevel('error');
    expect(capture(() => logs.jobDeleted({ jobId: 'j1' }))).toEqual([]);
    setLogLevel('debug');
  });
});
