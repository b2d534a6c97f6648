import { Transform, type TransformCallback } from 'node:stream';

/**
 * Takes the DEFINER clauses out of a mariadb-dump / mysqldump stream on its way into the server, so the triggers
 * (migration 0013's live_at triggers), views, routines and events it creates belong to the user running the
 * restore.
 *
 * A dump names the account that created each of them (`/*!50017 DEFINER=`inkstone`@`localhost`*\/`). Loaded as is:
 * - by any user but that account without SUPER (or SET USER), the server refuses the trigger (error 1227) and the
 *   restore stops halfway;
 * - by root onto a server where that account does not exist (a new host, another host part such as `%` in a
 *   container), the trigger is created, and every insert into article_tags then fails (error 1449: the definer
 *   does not exist). Publishing with tags breaks after a restore that reported success.
 * Without the clause the server makes the restoring user the definer, which is what a restore means.
 *
 * Only the clause in the DDL headers a dump writes is removed: a line is held (until its newline) and rewritten only
 * when it begins as one of them (`/*!50003 CREATE*\/` for a trigger, say). Every other line (rows, whatever text
 * they hold, and the rest) passes through untouched, in runs, without being copied or waited for. The same holds for
 * the text mariadb-binlog makes of binary logs, where a trigger created in the replayed window reads
 * `CREATE DEFINER=… TRIGGER`.
 */
export function definerFilter(): Transform {
  // Bytes of the current line kept back: its start (not yet classified) or all of it (a header to rewrite).
  let held: Buffer[] = [];
  let heldLength = 0;
  // What is done with the current line: undefined until enough of its start has been seen.
  let kind: 'pass' | 'rewrite' | undefined;

  const hold = (part: Buffer) => {
    if (part.length === 0) return;
    held.push(part);
    heldLength += part.length;
  };
  const takeHeld = (): Buffer => {
    const all = held.length === 1 ? held[0]! : Buffer.concat(held, heldLength);
    held = [];
    heldLength = 0;
    return all;
  };

  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      const out: Buffer[] = [];
      // Where the bytes that pass untouched start (lines passed, and the rest of one begun in an earlier chunk).
      let runFrom = kind === 'pass' ? 0 : -1;
      let at = 0;
      while (at < chunk.length) {
        const nl = chunk.indexOf(NL, at);
        if (kind === undefined) {
          // A line's first bytes may straddle chunks: it is classified once enough of them (or its end) is here.
          // Most lines (rows above all) are told by their first byte alone, with nothing allocated.
          const first = heldLength === 0 ? chunk[at]! : held[0]![0]!;
          if (first !== SLASH && first !== C) {
            kind = 'pass';
          } else {
            const need = LINE_HEAD - heldLength;
            const end = nl === -1 ? chunk.length : nl + 1;
            if (nl === -1 && end - at < need) {
              hold(chunk.subarray(at));
              break;
            }
            const start = chunk.subarray(at, Math.min(at + need, end));
            kind = isHeader(heldLength === 0 ? start : Buffer.concat([...held, start])) ? 'rewrite' : 'pass';
          }
          if (kind === 'pass') {
            // Held start bytes mean the line began in an earlier chunk: nothing of this chunk has passed yet.
            if (heldLength > 0) out.push(takeHeld());
            if (runFrom === -1) runFrom = at;
          }
        }
        if (kind === 'pass') {
          if (nl === -1) {
            at = chunk.length;
            break;
          }
          at = nl + 1;
          kind = undefined;
          continue;
        }
        // A header is held whole, and rewritten at its end; the lines before it pass first.
        if (runFrom !== -1) out.push(chunk.subarray(runFrom, at));
        runFrom = -1;
        if (nl === -1) {
          hold(chunk.subarray(at));
          break;
        }
        hold(chunk.subarray(at, nl + 1));
        out.push(rewrite(takeHeld()));
        at = nl + 1;
        kind = undefined;
      }
      // Up to `at`: bytes from there on, if any, are a held line's start.
      if (runFrom !== -1 && runFrom < at) out.push(chunk.subarray(runFrom, at));
      for (const part of out) this.push(part);
      callback();
    },
    flush(callback: TransformCallback) {
      // A last line without a newline (held: not yet classified, or a header).
      if (heldLength > 0) this.push(rewrite(takeHeld()));
      callback();
    },
  });
}

const NL = 0x0a;
/** How a line that may carry a clause begins: trigger, event, view and routine headers (the last also in binlogs). */
const HEADERS = ['/*!50003 CREATE*/', '/*!50106 CREATE*/', '/*!50013 DEFINER', 'CREATE DEFINER'].map((h) =>
  Buffer.from(h, 'latin1'),
);
/** The first bytes of every header: `/` and `C`. */
const SLASH = 0x2f;
const C = 0x43;
/** Enough of a line's start to tell a header from the rest. */
const LINE_HEAD = Math.max(...HEADERS.map((h) => h.length));

function isHeader(head: Buffer): boolean {
  return HEADERS.some((h) => head.length >= h.length && head.compare(h, 0, h.length, 0, h.length) === 0);
}

const NAME = "(?:`(?:[^`]|``)*`|'(?:[^'\\\\]|\\\\.)*'|[\\w.$%:-]+)";
/**
 * The clause where a dump writes it: triggers `/*!50017 DEFINER=…*\/`, events `/*!50117 DEFINER=…*\/`, views
 * `/*!50013 DEFINER=… SQL SECURITY …`, routines `CREATE DEFINER=… PROCEDURE`. The account is `user`@`host`, either
 * part quoted with backticks or single quotes, or CURRENT_USER.
 */
const CLAUSE = new RegExp(
  `(\\/\\*!50017 |\\/\\*!50117 |\\/\\*!50013 |^CREATE )DEFINER\\s*=\\s*(?:CURRENT_USER(?:\\(\\))?|${NAME}(?:@${NAME})?)\\s?`,
  'g',
);
const DEFINER = Buffer.from('DEFINER', 'latin1');

function rewrite(line: Buffer): Buffer {
  if (line.indexOf(DEFINER) === -1) return line;
  // DDL text is UTF-8 (identifiers, comments); latin1 would do too, byte for byte, but UTF-8 keeps it readable.
  const text = line.toString('utf8');
  const stripped = text.replace(CLAUSE, '$1');
  return stripped === text ? line : Buffer.from(stripped, 'utf8');
}
