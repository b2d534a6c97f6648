import { pino, type DestinationStream, type Logger } from 'pino';

/** A flat line's fields: no nesting, nothing secret (nothing here redacts or serializes). */
export type FlatFields = Readonly<Record<string, string | number | boolean | null | undefined>>;

export type FlatLevel = 'info' | 'warn';

/** Writes one line at `level`: the logger's level, time and bindings, then `fields`, then `msg`. */
export type FlatLineWriter = (level: FlatLevel, fields: FlatFields, msg: string) => void;

/** What pino hands a destination that asks for it (multistream routes lines by `lastLevel`). */
interface MetadataStream extends DestinationStream {
  lastLevel?: number;
  lastMsg?: string;
  lastObj?: object;
  lastTime?: string;
  lastLogger?: Logger;
}

const NEEDS_METADATA = Symbol.for('pino.metadata');

/**
 * The request log's writer: one line per request, the most frequent thing the server does after answering. It
 * writes what `logger.info(fields, msg)` writes, byte for byte, to the logger's own destination, honouring its
 * level, but skips pino's per-call work, which this shape never needs: the logMethod hook, the serializer lookup and
 * safe-stringify fallback per key, redaction. That was about 2 µs of a 26 µs cached page hit. The time string is
 * the logger's own, made once per millisecond. `test/adapters/log/flat-line.test.ts` compares the two outputs.
 *
 * Only for flat, secret-free fields: anything nested or sensitive goes through the logger.
 */
export function flatLineWriter(logger: Logger): FlatLineWriter {
  const stream = (logger as unknown as Record<symbol, MetadataStream | undefined>)[pino.symbols.streamSym];
  if (stream === undefined) return (level, fields, msg) => logger[level](fields, msg);
  const internals = logger as unknown as Record<symbol, unknown>;
  const time = internals[pino.symbols.timeSym] as () => string;
  const timeSliceIndex = internals[pino.symbols.timeSliceIndexSym] as number;
  const bindings = internals[pino.symbols.chindingsSym] as string;
  const end = internals[pino.symbols.endSym] as string;
  const messageKey = JSON.stringify(internals[pino.symbols.messageKeySym]);
  const needsMetadata = (stream as unknown as Record<symbol, unknown>)[NEEDS_METADATA] === true;
  let lastMs = -1;
  let lastTime = '';
  // `,"key":` for each key seen, so a line quotes none of its keys.
  const quotedKeys = new Map<string, string>();
  // The keys of the last line, by position: a caller writes the same shape line after line (the request line), and
  // comparing a key with the one last seen at its position is cheaper than looking it up.
  const lastKeys: string[] = [];
  const lastQuoted: string[] = [];

  return (level, fields, msg) => {
    if (!logger.isLevelEnabled(level)) return;
    const now = Date.now();
    if (now !== lastMs) {
      lastMs = now;
      lastTime = time.call(logger);
    }
    const levelValue = logger.levels.values[level]!;
    let line = `{"level":${levelValue}${lastTime}${bindings}`;
    let position = 0;
    for (const key in fields) {
      const value = fields[key];
      if (value === undefined) continue;
      let quoted: string | undefined;
      if (lastKeys[position] === key) {
        quoted = lastQuoted[position]!;
      } else {
        quoted = quotedKeys.get(key);
        if (quoted === undefined) {
          quoted = `,${jsonString(key)}:`;
          // The request line's keys are a handful; a writer fed ever new keys stops remembering them.
          if (quotedKeys.size < 64) quotedKeys.set(key, quoted);
        }
        if (position < 32) {
          lastKeys[position] = key;
          lastQuoted[position] = quoted;
        }
      }
      position++;
      line += quoted + jsonValue(value);
    }
    line += `,${messageKey}:${jsonString(msg)}${end}`;
    if (needsMetadata) {
      stream.lastLevel = levelValue;
      stream.lastMsg = msg;
      stream.lastObj = fields;
      stream.lastTime = lastTime.slice(timeSliceIndex);
      stream.lastLogger = logger;
    }
    stream.write(line);
  };
}

/**
 * Printable ASCII but `"` and `\`: such a string is its own JSON text between quotes. Request lines are almost all
 * such strings (ids, paths, percent-encoded URLs, IPs), and this test and a template take half of JSON.stringify's
 * time for them; anything else (controls, DEL, non-ASCII, lone surrogates) goes to JSON.stringify.
 */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

function jsonString(value: string): string {
  return PLAIN.test(value) ? `"${value}"` : JSON.stringify(value);
}

function jsonValue(value: string | number | boolean | null): string {
  if (typeof value === 'string') return jsonString(value);
  // As JSON.stringify: NaN and the infinities become null.
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  return String(value);
}
