import { Logger } from '@aws-lambda-powertools/logger';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  PowertoolsLoggerAdapter,
  REDACTED,
  redact,
} from '../../../../lambdas/adapters/aws/powertools-logger.js';

/** Everything written to stdout and stderr since the capture began. */
let written: string[];

const entries = (): Record<string, unknown>[] =>
  written
    .flatMap((chunk) => chunk.split('\n'))
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);

const capture = (chunk: string | Uint8Array): boolean => {
  written.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
  return true;
};

describe('PowertoolsLoggerAdapter', () => {
  beforeEach(() => {
    written = [];
    vi.spyOn(process.stdout, 'write').mockImplementation(capture);
    vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('writes an info entry as one JSON line with its message, level, service and fields', () => {
    new PowertoolsLoggerAdapter({ serviceName: 'ingest' }).info('batch queued', {
      source: 'stripe',
      events: 3,
    });
    expect(entries()).toEqual([
      expect.objectContaining({
        level: 'INFO',
        message: 'batch queued',
        service: 'ingest',
        source: 'stripe',
        events: 3,
      }),
    ]);
  });

  it('writes warnings and errors with their levels', () => {
    const log = new PowertoolsLoggerAdapter({ serviceName: 'load' });
    log.warn('slow load');
    log.error('load failed', { table: 'raw.stripe' });
    expect(entries().map((entry) => [entry.level, entry.message])).toEqual([
      ['WARN', 'slow load'],
      ['ERROR', 'load failed'],
    ]);
  });

  it('writes debug entries only when the level allows them', () => {
    new PowertoolsLoggerAdapter({ serviceName: 'land' }).debug('hidden');
    new PowertoolsLoggerAdapter({ serviceName: 'land', logLevel: 'DEBUG' }).debug('shown');
    expect(entries().map((entry) => entry.message)).toEqual(['shown']);
  });

  it('redacts string values under keys that look like secrets', () => {
    new PowertoolsLoggerAdapter({ serviceName: 'ingest' }).info('verifying', {
      webhookSecret: 'whsec_live',
      nested: { Authorization: 'Basic abc', route: '/v1/batch' },
    });
    const [entry] = entries();
    expect(entry?.webhookSecret).toBe(REDACTED);
    expect(entry?.nested).toEqual({ Authorization: REDACTED, route: '/v1/batch' });
    expect(written.join('')).not.toContain('whsec_live');
  });

  it('uses a Powertools logger it is given', () => {
    const powertools = new Logger({ serviceName: 'shared' });
    const log = new PowertoolsLoggerAdapter({ logger: powertools });
    expect(log.powertools).toBe(powertools);
    log.info('hello');
    expect(entries()[0]?.service).toBe('shared');
  });
});

describe('redact', () => {
  it('keeps non-string values under sensitive-looking keys', () => {
    expect(redact({ signature_valid: false, token_count: 3 })).toEqual({
      signature_valid: false,
      token_count: 3,
    });
  });
});
