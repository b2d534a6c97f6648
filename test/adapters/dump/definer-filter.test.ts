import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { definerFilter } from '../../../src/adapters/dump/definer-filter.js';

/** The filter's output for `input` fed in chunks of `size` bytes (every boundary a chunk can fall on). */
async function filtered(input: Buffer, size: number): Promise<string> {
  const chunks: Buffer[] = [];
  for (let i = 0; i < input.length; i += size) chunks.push(input.subarray(i, i + size));
  const parts: Buffer[] = [];
  for await (const part of Readable.from(chunks, { objectMode: false }).pipe(definerFilter()))
    parts.push(part as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

// The shapes mariadb-dump writes (MariaDB 10.11 and 11, checked against a real dump in test/ops/backup/mysql-definer.test.ts).
const DUMP = [
  '-- MariaDB dump 10.19  Distrib 10.11.6-MariaDB',
  '/*!40101 SET @saved_cs_client     = @@character_set_client */;',
  'CREATE TABLE `articles` (',
  '  `id` int(10) unsigned NOT NULL AUTO_INCREMENT,',
  '  `title` varchar(300) NOT NULL,',
  '  PRIMARY KEY (`id`)',
  ') ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;',
  'INSERT INTO `articles` VALUES',
  // Rows may hold anything, the clause's own text included: never touched.
  "(1,'/*!50017 DEFINER=`root`@`localhost`*/ is how a dump names a definer'),",
  "(2,'CREATE DEFINER=`a`@`b` PROCEDURE p() 博客'),",
  "(3,'plain');",
  "INSERT INTO `notes` VALUES (1,'/*!50017 DEFINER=`x`@`y`*/');",
  'DELIMITER ;;',
  '/*!50003 CREATE*/ /*!50017 DEFINER=`inkstone`@`localhost`*/ /*!50003 TRIGGER article_tags_live_at_insert before insert on article_tags for each row',
  '      set new.live_at = (select published_at from articles where id = new.article_id) */;;',
  'DELIMITER ;',
  '/*!50003 CREATE*/ /*!50017 DEFINER=`o``dd`@`%`*/ /*!50003 TRIGGER t2 after update on articles for each row set @a = 1 */;;',
  '/*!50013 DEFINER=`root`@`127.0.0.1` SQL SECURITY DEFINER */',
  "CREATE DEFINER='root'@'localhost' PROCEDURE `p`()",
  '/*!50106 CREATE*/ /*!50117 DEFINER=CURRENT_USER*/ /*!50106 EVENT `e` ON SCHEDULE EVERY 1 DAY DO select 1 */ ;;',
  // mariadb-binlog's text for a trigger created in a replayed window.
  'CREATE DEFINER=`root`@`localhost` trigger t3 before insert on tags for each row set new.slug = lower(new.slug)',
  // Only lines that begin as a header are rewritten.
  '-- a comment about DEFINER=`root`@`localhost`',
  "SET @x = 'CREATE DEFINER=`a`@`b`';",
  '-- Dump completed',
].join('\n');

const EXPECTED = DUMP.replace('/*!50017 DEFINER=`inkstone`@`localhost`*/', '/*!50017 */')
  .replace('/*!50017 DEFINER=`o``dd`@`%`*/', '/*!50017 */')
  .replace('/*!50013 DEFINER=`root`@`127.0.0.1` SQL SECURITY', '/*!50013 SQL SECURITY')
  .replace("CREATE DEFINER='root'@'localhost' PROCEDURE", 'CREATE PROCEDURE')
  .replace('/*!50117 DEFINER=CURRENT_USER*/', '/*!50117 */')
  .replace('CREATE DEFINER=`root`@`localhost` trigger t3', 'CREATE trigger t3');

describe('definerFilter', () => {
  it('takes the DEFINER clauses out of the DDL headers and leaves every other line as it was', async () => {
    const out = await filtered(Buffer.from(DUMP, 'utf8'), 1 << 16);
    expect(out).toBe(EXPECTED);
    expect(out).not.toBe(DUMP);
    // Rows keep the clause's text.
    expect(out).toContain("(1,'/*!50017 DEFINER=`root`@`localhost`*/ is how");
    expect(out).toContain("INSERT INTO `notes` VALUES (1,'/*!50017 DEFINER=`x`@`y`*/');");
    expect(out).toContain('-- a comment about DEFINER=`root`@`localhost`');
    expect(out).toContain("SET @x = 'CREATE DEFINER=`a`@`b`';");
  });

  it('gives the same bytes whatever the chunk boundaries', async () => {
    const input = Buffer.from(`${DUMP}\n`, 'utf8');
    for (let size = 1; size <= 40; size++) expect(await filtered(input, size)).toBe(`${EXPECTED}\n`);
    for (const size of [97, 128, 255, 1000]) expect(await filtered(input, size)).toBe(`${EXPECTED}\n`);
  });

  it('passes a long row line through in pieces, without waiting for its end', async () => {
    const filter = definerFilter();
    const seen: Buffer[] = [];
    filter.on('data', (part: Buffer) => seen.push(part));
    const big = Buffer.alloc(1 << 20, 'a');
    const head = Buffer.from("INSERT INTO `media` VALUES (1,'");
    filter.write(head);
    filter.write(big);
    // Before the line's newline arrives, its bytes have already passed.
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen.reduce((n, b) => n + b.length, 0)).toBe(head.length + big.length);
    filter.end("');\n");
    await new Promise((resolve) => filter.once('end', resolve));
  });

  it('keeps a last line without a newline', async () => {
    expect(await filtered(Buffer.from('/*!50013 DEFINER=`a`@`b` SQL SECURITY DEFINER */'), 5)).toBe(
      '/*!50013 SQL SECURITY DEFINER */',
    );
    expect(await filtered(Buffer.from('(1,2)'), 2)).toBe('(1,2)');
    expect(await filtered(Buffer.from(''), 2)).toBe('');
  });
});
