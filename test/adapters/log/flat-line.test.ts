import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { createLogger } from '../../../src/adapters/log/logger.js';
import { flatLineWriter, type FlatFields } from '../../../src/adapters/log/flat-line.js';
import { testConfig } from '../../support/config.js';

/** The process logger as production builds it (bindings, redaction, hooks, ISO time), writing into an array. */
function capture(level = 'info') {
  const lines: string[] = [];
  const logger = createLogger(testConfig({ LOG_LEVEL: level }), { write: (line: string) => void lines.push(line) });
  return { logger, lines };
}

// Two calls a few microseconds apart may fall in different milliseconds: compare everything but the time's value.
const sameTime = (line: string) => line.replace(/"time":"[^"]+"/, '"time":"T"');

describe('flatLineWriter', () => {
  const cases: Array<[string, FlatFields]> = [
    ['plain', { reqId: 'a-1', method: 'GET', route: '/articles/:slug', status: 200, ms: 0.4, userId: null }],
    ['escapes', { url: '/s?q="x"\\y\n\t', ua: 'Mozilla/5.0 (中文; \u0001)', route: '/标签/:slug' }],
    ['numbers', { ms: 12.5, status: 304, nan: Number.NaN, inf: Number.POSITIVE_INFINITY, neg: -3 }],
    ['left out and booleans', { ua: undefined, cached: true, stale: false, userId: 7 }],
    ['unusual keys', { 'a"b': 'x', 'c\\d': 'y' }],
    [
      'every ASCII character, DEL, a lone surrogate, an emoji',
      {
        ascii: String.fromCharCode(...Array.from({ length: 128 }, (_, i) => i)),
        del: 'a\u007fb',
        lone: 'x\ud800y',
        emoji: '😀',
        plain: ' !#$%&()*+,-./09:;<=>?@AZ[]^_`az{|}~',
      },
    ],
  ];

  it.each(cases)('writes what logger.info writes, byte for byte (%s)', (_name, fields) => {
    const { logger, lines } = capture();
    flatLineWriter(logger)('info', fields, 'request');
    logger.info(fields, 'request');
    expect(lines).toHaveLength(2);
    expect(sameTime(lines[0]!)).toBe(sameTime(lines[1]!));
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 30, app: expect.any(String), msg: 'request' });
  });

  it('quotes a key it has seen before the same way (keys are remembered)', () => {
    const { logger, lines } = capture();
    const write = flatLineWriter(logger);
    for (const url of ['/a', '/b?q="c"']) {
      write('info', { url, 'k"ey': 1 }, 'request');
      logger.info({ url, 'k"ey': 1 }, 'request');
    }
    expect(lines.map(sameTime)).toEqual([lines[1], lines[1], lines[3], lines[3]].map((l) => sameTime(l!)));
  });

  it('lines of changing shapes written one after another each match the logger (keys remembered by position)', () => {
    const { logger, lines } = capture();
    const write = flatLineWriter(logger);
    const shapes: FlatFields[] = [
      { reqId: 'a', method: 'GET', route: '/', status: 200, ua: 'x' },
      { reqId: 'b', method: 'GET', route: '/', status: 200, ua: 'y' },
      // A value left out moves every later key one position down.
      { reqId: 'c', method: undefined, route: '/', status: 200, ua: 'z' },
      { reqId: 'd', method: 'GET', route: '/', status: 200, ua: 'x', maxRssMb: 90 },
      { route: '/', reqId: 'e', 'q"k': 1, status: 500 },
      { reqId: 'f', method: 'GET', route: '/', status: 200, ua: 'x' },
    ];
    for (const fields of shapes) write('info', fields, 'request');
    for (const fields of shapes) logger.info(fields, 'request');
    const half = shapes.length;
    expect(lines.slice(0, half).map(sameTime)).toEqual(lines.slice(half).map(sameTime));
  });

  it('warn lines match logger.warn, and the message is escaped', () => {
    const { logger, lines } = capture();
    flatLineWriter(logger)('warn', { ms: 900 }, 'slow "request"');
    logger.warn({ ms: 900 }, 'slow "request"');
    expect(sameTime(lines[0]!)).toBe(sameTime(lines[1]!));
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 40, msg: 'slow "request"' });
  });

  it("honours the logger's level, also when it changes at run time", () => {
    const { logger, lines } = capture('warn');
    const write = flatLineWriter(logger);
    write('info', { n: 1 }, 'request');
    expect(lines).toHaveLength(0);
    write('warn', { n: 2 }, 'slow request');
    expect(lines).toHaveLength(1);
    logger.level = 'info';
    write('info', { n: 3 }, 'request');
    expect(lines.map((l) => (JSON.parse(l) as { n: number }).n)).toEqual([2, 3]);
  });

  it("a child logger's bindings come before the fields, as pino writes them", () => {
    const { logger, lines } = capture();
    const child = logger.child({ role: 'web' });
    flatLineWriter(child)('info', { status: 200 }, 'request');
    child.info({ status: 200 }, 'request');
    expect(sameTime(lines[0]!)).toBe(sameTime(lines[1]!));
    expect(JSON.parse(lines[0]!)).toMatchObject({ role: 'web', status: 200 });
  });

  it('reaches each stream of a multistream that takes its level, and only those', () => {
    const all: string[] = [];
    const errorsOnly: string[] = [];
    const logger = pino(
      { level: 'info' },
      pino.multistream([
        { level: 'info', stream: { write: (l: string) => void all.push(l) } },
        { level: 'error', stream: { write: (l: string) => void errorsOnly.push(l) } },
      ]),
    );
    const write = flatLineWriter(logger);
    write('info', { status: 200 }, 'request');
    write('warn', { status: 200 }, 'slow request');
    expect(all.map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual(['request', 'slow request']);
    expect(errorsOnly).toEqual([]);
    logger.error('boom');
    expect(errorsOnly).toHaveLength(1);
  });
});
