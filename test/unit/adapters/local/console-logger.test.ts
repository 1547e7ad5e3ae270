import { describe, expect, it } from 'vitest';
import { ConsoleLogger, REDACTED } from '../../../../lambdas/adapters/local/console-logger.js';

const capture = (level?: 'debug' | 'info' | 'warn' | 'error') => {
  const lines: string[] = [];
  const logger = new ConsoleLogger({
    ...(level ? { level } : {}),
    write: (line) => void lines.push(line),
    now: () => new Date('2026-01-01T00:00:00.000Z'),
  });
  return { logger, lines, parsed: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
};

describe('ConsoleLogger', () => {
  it('writes one JSON line per entry with time, level, message and fields', () => {
    const { logger, lines, parsed } = capture();
    logger.info('loaded', { table: 'raw.stripe', rows: 3 });
    expect(lines).toHaveLength(1);
    expect(lines[0]?.endsWith('\n')).toBe(true);
    expect(lines[0]?.slice(0, -1)).not.toContain('\n');
    expect(parsed()).toEqual([
      { time: '2026-01-01T00:00:00.000Z', level: 'info', message: 'loaded', table: 'raw.stripe', rows: 3 },
    ]);
  });

  it('drops entries below its level', () => {
    const { logger, parsed } = capture('warn');
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    logger.error('e');
    expect(parsed().map((e) => e.level)).toEqual(['warn', 'error']);
  });

  it('defaults to the info level', () => {
    const { logger, parsed } = capture();
    logger.debug('hidden');
    logger.info('shown');
    expect(parsed().map((e) => e.message)).toEqual(['shown']);
  });

  it('redacts fields named like secrets at any depth', () => {
    const { logger, parsed } = capture();
    logger.info('request', {
      writeKey: 'wk_live',
      headers: { Authorization: 'Basic abc', 'stripe-signature': 't=1,v1=x', accept: 'json' },
      db: { password: 'p', host: 'h' },
      items: [{ apiToken: 't', id: 1 }],
      clientSecret: 's',
    });
    expect(parsed()[0]).toMatchObject({
      writeKey: REDACTED,
      headers: { Authorization: REDACTED, 'stripe-signature': REDACTED, accept: 'json' },
      db: { password: REDACTED, host: 'h' },
      items: [{ apiToken: REDACTED, id: 1 }],
      clientSecret: REDACTED,
    });
    expect(JSON.stringify(parsed())).not.toMatch(/wk_live|Basic abc|v1=x|"p"|"t"|"s"/);
  });

  it('writes errors, dates, bigints and cycles as JSON', () => {
    const { logger, parsed } = capture();
    const cycle: Record<string, unknown> = { name: 'c' };
    cycle.self = cycle;
    logger.error('failed', { error: new TypeError('bad'), at: new Date(0), big: 10n, cycle });
    expect(parsed()[0]).toMatchObject({
      error: { name: 'TypeError', message: 'bad' },
      at: '1970-01-01T00:00:00.000Z',
      big: '10',
      cycle: { name: 'c', self: '[circular]' },
    });
  });

  it('keeps its own time, level and message when fields use those names', () => {
    const { logger, parsed } = capture();
    logger.warn('real', { time: 'fake', level: 'debug', message: 'fake' });
    expect(parsed()[0]).toEqual({ time: '2026-01-01T00:00:00.000Z', level: 'warn', message: 'real' });
  });

  it('adds a child logger’s fields to every entry', () => {
    const { logger, parsed } = capture('warn');
    const child = logger.child({ component: 'land' });
    child.info('hidden');
    child.warn('shown', { n: 1 });
    expect(parsed()).toEqual([
      { time: '2026-01-01T00:00:00.000Z', level: 'warn', message: 'shown', component: 'land', n: 1 },
    ]);
  });
});
