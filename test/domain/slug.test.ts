import { describe, expect, it } from 'vitest';
import { nextFreeSlug, slugify } from '../../src/domain/slug.js';
import { makeExcerpt, readingMinutes } from '../../src/domain/article-text.js';

describe('slugs', () => {
  it('makes readable slugs from titles in any script', () => {
    expect(slugify('Hello, World! 2026')).toBe('hello-world-2026');
    expect(slugify('实战：数据库迁移的经验总结')).toBe('实战-数据库迁移的经验总结');
    expect(slugify('Ünïcödé — Straße')).toBe('ünïcödé-straße');
    expect(slugify('Привет мир')).toBe('привет-мир');
    expect(slugify('!!!')).toBe('untitled');
    expect(slugify('a_b%c')).toBe('a-b-c');
  });

  it('picks the first free suffix', () => {
    expect(nextFreeSlug('post', [])).toBe('post');
    expect(nextFreeSlug('post', ['post'])).toBe('post-2');
    expect(nextFreeSlug('post', ['post', 'post-2', 'post-3'])).toBe('post-4');
  });
});

describe('excerpt and reading time', () => {
  it('cuts long text at a word boundary', () => {
    const text = 'word '.repeat(100).trim();
    const excerpt = makeExcerpt(text, 50);
    expect(excerpt.endsWith('…')).toBe(true);
    expect(excerpt.length).toBeLessThanOrEqual(51);
    expect(excerpt).not.toMatch(/wor…$/);
  });

  it('counts words for English and characters for Chinese', () => {
    expect(readingMinutes('word '.repeat(1100))).toBe(5);
    expect(readingMinutes('字'.repeat(2000))).toBe(5);
    expect(readingMinutes('')).toBe(1);
  });
});
