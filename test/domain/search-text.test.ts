import { describe, expect, it } from 'vitest';
import { padToken, searchTerms, searchText } from '../../src/domain/search-text.js';

const plain = { padForInnoDb: false };

describe('search text', () => {
  it('splits each CJK run into bigrams plus its last character, and leaves other words whole', () => {
    expect(searchText('我们的数据库', plain)).toBe('我们 们的 的数 数据 据库 库');
    expect(searchText('MySQL数据库，很快!', plain)).toBe('MySQL 数据 据库 库 很快 快');
    expect(searchText('猫', plain)).toBe('猫');
    expect(searchText('データベース', plain)).toBe('デー ータ タベ ベー ース ス');
    // Full-width Latin is folded to ASCII (NFKC), as the query is.
    expect(searchText('ＭｙＳＱＬ', plain)).toBe('MySQL');
  });

  it('pads every token for InnoDB: at least three characters, always one underscore', () => {
    expect(searchText('Go the 数据库', { padForInnoDb: true })).toBe('Go_ the_ 数据_ 据库_ 库__');
    expect(padToken('𠮷')).toBe('𠮷__');
  });

  it('turns a query into phrases of bigrams, one-character prefixes and words; punctuation into nothing', () => {
    expect(searchTerms('数据库 MySQL')).toEqual([
      { kind: 'phrase', tokens: ['数据', '据库'] },
      { kind: 'phrase', tokens: ['MySQL'] },
    ]);
    expect(searchTerms('库')).toEqual([{ kind: 'prefix', prefix: '库' }]);
    expect(searchTerms('"*()<>「」、。')).toEqual([]);
    expect(searchTerms('a '.repeat(40))).toHaveLength(16);
    // 100 characters: 99 bigrams in phrases of at most 32, which still overlap (no pair is lost between them).
    const long = searchTerms('数据库'.repeat(33) + '备');
    expect(long.map((t) => (t.kind === 'phrase' ? t.tokens.length : 0))).toEqual([32, 32, 32, 3]);
    expect(long.flatMap((t) => (t.kind === 'phrase' ? t.tokens : [])).join('')).toHaveLength(198);
  });
});
