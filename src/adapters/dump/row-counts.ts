import { Transform, type TransformCallback } from 'node:stream';

/**
 * Per-table row counts read from the dump stream itself, so a manifest's counts describe exactly the rows in its
 * dump. Counting on another connection beside the dump (as before) saw a different moment: a live blog writing
 * sessions, jobs or comments during the backup got a manifest that the restore's count check then called wrong,
 * and the counts scanned every table a second time while the dump ran. The stream passes through unchanged; the
 * scan jumps with indexOf between the bytes that matter (quotes, newlines) rather than looking at every byte.
 */
export interface DumpRowCounter {
  stage: Transform;
  /** Counts a chunk without passing it on (for a stage that already reads the stream). */
  feed(chunk: Buffer): void;
  /** The counts, complete once the stream has ended. */
  tables(): Record<string, number>;
}

const NL = 0x0a;
const SEMICOLON = 0x3b;
const QUOTE = 0x27;
const BACKSLASH = 0x5c;
const OPEN = 0x28;
/** Long enough for `INSERT INTO `a_long_table_name` VALUES ` and pg_dump's COPY line with its column list. */
const HEAD_MAX = 8192;

/** Where `byte` next is in `buf` from `from` on; the buffer's length when it is not there. */
function at(buf: Buffer, byte: number, from: number): number {
  const k = buf.indexOf(byte, from);
  return k === -1 ? buf.length : k;
}

/**
 * mariadb-dump / mysqldump output: `CREATE TABLE `t`` names a table (so empty ones count 0), and each
 * `INSERT INTO `t` VALUES (…),(…);` statement holds rows (MariaDB's dump puts each row on a line of its own, mysqldump
 * all on one). Outside quoted strings a row's values are literals (numbers, NULL, 0x… with --hex-blob), so each `(`
 * outside a string opens one row and a `;` outside a string ends the statement. Strings escape with backslashes.
 */
export function mysqlDumpRowCounter(): DumpRowCounter {
  const tables: Record<string, number> = {};
  let mode: 'head' | 'skip' | 'values' = 'head';
  // decideHead changes `mode` behind the compiler's narrowing; read it through this.
  const modeOf = () => mode;
  let head = '';
  let table = '';
  let inString = false;
  let backslashes = 0; // backslashes just before the current position inside a string, across chunks

  function decideHead(): void {
    const create = /^CREATE TABLE `((?:[^`]|``)+)`/.exec(head);
    if (create) {
      tables[create[1]!.replace(/``/g, '`')] ??= 0;
      mode = 'skip';
      return;
    }
    const insert = /^INSERT INTO `((?:[^`]|``)+)` (?:\([^)]*\) )?VALUES(?: |$)/.exec(head);
    if (insert) {
      table = insert[1]!.replace(/``/g, '`');
      tables[table] ??= 0;
      mode = 'values';
      // What came after VALUES in the head is counted like the rest of the line.
      scanValues(Buffer.from(head.slice(insert[0].length), 'latin1'));
      return;
    }
    // Not decided yet (a table name or `VALUES ` split across chunks): wait for more of the line's head.
    mode = head.length < HEAD_MAX ? 'head' : 'skip';
  }

  // Where the next `;` and `(` are in the buffer being scanned, found once and reused until the scan passes them.
  // Searching afresh after every string ran to the statement's end or the chunk's (a `;` ends a 1 MB statement,
  // prose has few `(`): quadratic in the chunk, 120 ms of a 100 MB backup's CPU.
  let seen: Buffer | undefined;
  let nextSemi = -1;
  let nextOpen = -1;

  /** Counts rows in a piece of a VALUES statement; returns where its `;` is (-1: it goes on). */
  function scanValues(buf: Buffer, from = 0): number {
    if (buf !== seen) {
      seen = buf;
      nextSemi = -1;
      nextOpen = -1;
    }
    let i = from;
    while (i < buf.length) {
      if (inString) {
        const q = buf.indexOf(QUOTE, i);
        const end = q === -1 ? buf.length : q;
        // The backslashes right before the quote decide whether it closes the string.
        let run = 0;
        let j = end - 1;
        while (j >= i && buf[j] === BACKSLASH) {
          run += 1;
          j -= 1;
        }
        if (j < i) run += backslashes;
        if (q === -1) {
          backslashes = run;
          return -1;
        }
        backslashes = 0;
        if (run % 2 === 0) inString = false;
        i = q + 1;
      } else {
        const q = at(buf, QUOTE, i);
        if (nextSemi < i) nextSemi = at(buf, SEMICOLON, i);
        const stop = Math.min(q, nextSemi);
        if (nextOpen < i) nextOpen = at(buf, OPEN, i);
        let rows = 0;
        for (; nextOpen < stop; nextOpen = at(buf, OPEN, nextOpen + 1)) rows += 1;
        if (rows > 0) tables[table] = (tables[table] ?? 0) + rows;
        if (stop === buf.length) return -1;
        if (stop === nextSemi) return nextSemi;
        inString = true;
        i = q + 1;
      }
    }
    return -1;
  }

  function consume(chunk: Buffer): void {
    let i = 0;
    while (i < chunk.length) {
      if (mode === 'values') {
        const end = scanValues(chunk, i);
        if (end === -1) return;
        inString = false;
        // The rest of the line after the `;` (its newline) is skipped like any other line's.
        mode = 'skip';
        i = end + 1;
      } else if (mode === 'skip') {
        const nl = chunk.indexOf(NL, i);
        if (nl === -1) return;
        mode = 'head';
        head = '';
        i = nl + 1;
      } else {
        const nl = chunk.indexOf(NL, i);
        const lineEnd = nl === -1 ? chunk.length : nl;
        const take = Math.min(lineEnd, i + HEAD_MAX - head.length);
        head += chunk.toString('latin1', i, take);
        i = take;
        if (head.startsWith('INSERT INTO') || head.startsWith('CREATE TABLE')) decideHead();
        else if (!'INSERT INTO'.startsWith(head.slice(0, 11)) && !'CREATE TABLE'.startsWith(head.slice(0, 12))) {
          mode = 'skip';
        }
        if (modeOf() === 'head' && head.length >= HEAD_MAX) mode = 'skip';
        if (i === nl) {
          // The line ended inside its head. A VALUES statement goes on (decideHead scanned what the head held).
          if (modeOf() !== 'values') {
            mode = 'head';
            head = '';
          }
          i = nl + 1;
        }
      }
    }
  }

  return counterOf(consume, tables);
}

/**
 * pg_dump's plain format: `COPY schema.table (cols) FROM stdin;` then one line per row until `\.`. Newlines inside
 * values are escaped, so rows are lines. Every table has a COPY block, even an empty one.
 */
export function postgresDumpRowCounter(): DumpRowCounter {
  const tables: Record<string, number> = {};
  let copying: string | undefined;
  let head = '';
  let atLineStart = true;

  function endLine(): void {
    if (copying !== undefined) {
      if (head === '\\.') copying = undefined;
      else tables[copying] = (tables[copying] ?? 0) + 1;
    } else {
      const m = /^COPY (?:(?:"(?:[^"]|"")+"|[^ ."]+)\.)?("(?:[^"]|"")+"|[^ ."(]+) .*FROM stdin;$/.exec(head);
      if (m) {
        const raw = m[1]!;
        copying = raw.startsWith('"') ? raw.slice(1, -1).replace(/""/g, '"') : raw;
        tables[copying] ??= 0;
      }
    }
    head = '';
  }

  function consume(chunk: Buffer): void {
    let i = 0;
    while (i < chunk.length) {
      const nl = chunk.indexOf(NL, i);
      const end = nl === -1 ? chunk.length : nl;
      // Only a line's start matters (`\.`, or `COPY … FROM stdin;`, whose column list can be long).
      if (atLineStart || head.length > 0) {
        if (head.length < HEAD_MAX) head += chunk.toString('utf8', i, Math.min(end, i + HEAD_MAX - head.length));
      }
      if (nl === -1) {
        atLineStart = false;
        return;
      }
      endLine();
      atLineStart = true;
      i = nl + 1;
    }
  }

  // A last line without its newline still counts.
  return counterOf(consume, tables, () => {
    if (head.length > 0) endLine();
  });
}

/** The pass-through stage and accessors around a format's `consume`. */
function counterOf(
  consume: (chunk: Buffer) => void,
  tables: Record<string, number>,
  finish: () => void = () => {},
): DumpRowCounter {
  return {
    stage: new Transform({
      transform(chunk: Buffer, _e, cb: TransformCallback) {
        consume(chunk);
        cb(null, chunk);
      },
      flush(cb: TransformCallback) {
        finish();
        cb();
      },
    }),
    feed: consume,
    tables: () => ({ ...tables }),
  };
}
