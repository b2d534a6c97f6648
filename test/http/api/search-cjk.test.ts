import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../support/databases.js';
import { startApi, type ApiHarness } from '../../support/api.js';
import { cardTitles, publish, type Published } from '../site/helpers.js';

interface Found {
  data: Array<{ slug: string }>;
  meta: { total: number };
}

describeEachDialect('full-text search in Chinese, Japanese and Korean text', (dialect) => {
  let h: ApiHarness;
  const a: Record<string, Published> = {};

  beforeAll(async () => {
    h = await startApi(dialect, {}, { web: true });
    const as = h.users.author;
    // The word inside a sentence, once in the title and twice in the body: the strong match.
    a.strong = await publish(h, as, {
      title: '我们的数据库备份很快',
      markdown: '每天凌晨备份数据库。恢复数据库也很简单。',
    });
    // The word once, in the body only: the weaker match.
    a.weak = await publish(h, as, { title: '运维周报', markdown: '本周没有大事，只升级了数据库驱动。' });
    // The same characters, not adjacent: must not match 数据库.
    a.scattered = await publish(h, as, { title: '数学与据点', markdown: '仓库里的数字。' });
    a.japanese = await publish(h, as, {
      title: 'すしが好きです',
      markdown: 'データベースのバックアップを毎日とります。',
    });
    a.korean = await publish(h, as, { title: '데이터베이스를 백업하기', markdown: '매일 백업합니다.' });
    a.mixed = await publish(h, as, { title: 'MySQL数据库调优', markdown: 'Tuning MySQL for 中文 content.' });
    a.latin = await publish(h, as, { title: 'Go and the AI of backups', markdown: 'Restore etcd snapshots.' });
  });
  afterAll(() => h?.close());

  const search = async (q: string) => {
    const res = await h.call({ method: 'GET', url: `/api/articles/search?q=${encodeURIComponent(q)}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<Found>();
  };
  const slugs = async (q: string) => (await search(q)).data.map((x) => x.slug);

  it('finds a Chinese word inside a sentence, the stronger match first, and not scattered characters', async () => {
    // Both title hits (the strong one and the mixed-script one) rank above the single body hit.
    const found = await slugs('数据库');
    expect(found).toHaveLength(3);
    expect(found.slice(0, 2).sort()).toEqual([a.strong!.slug, a.mixed!.slug].sort());
    expect(found[2]).toBe(a.weak!.slug);
    expect(found).not.toContain(a.scattered!.slug);
    expect(await slugs('备份很快')).toEqual([a.strong!.slug]);
  });

  it('finds Japanese kana and katakana words, and Korean inside a word with its particle', async () => {
    expect(await slugs('すし')).toEqual([a.japanese!.slug]);
    expect(await slugs('好き')).toEqual([a.japanese!.slug]);
    expect(await slugs('データベース')).toEqual([a.japanese!.slug]);
    expect(await slugs('데이터베이스')).toEqual([a.korean!.slug]);
    expect(await slugs('백업')).toEqual([a.korean!.slug]);
  });

  it('a query of one CJK character finds every article holding it, wherever it stands in a run', async () => {
    // 库 ends the run 数据库 in some articles and starts nothing there; 仓库 has it last too.
    expect((await slugs('库')).sort()).toEqual([a.strong!.slug, a.weak!.slug, a.scattered!.slug, a.mixed!.slug].sort());
    expect(await slugs('寿')).toEqual([]);
  });

  it('mixed CJK and Latin queries need every part, in either spelling', async () => {
    expect(await slugs('MySQL数据库')).toEqual([a.mixed!.slug]);
    expect(await slugs('mysql 调优')).toEqual([a.mixed!.slug]);
    expect(await slugs('ＭｙＳＱＬ 中文')).toEqual([a.mixed!.slug]);
    expect(await slugs('MySQL 寿司')).toEqual([]);
  });

  it('Latin words still work, short words and stopwords included', async () => {
    expect(await slugs('etcd snapshots')).toEqual([a.latin!.slug]);
    expect(await slugs('backups')).toEqual([a.latin!.slug]);
    expect(await slugs('the AI')).toEqual([a.latin!.slug]);
    expect(await slugs('go')).toEqual([a.latin!.slug]);
  });

  it('follows edits: a new title is found, the old one no longer', async () => {
    const { id } = await publish(h, h.users.author, { title: '旧标题测试', markdown: '正文' });
    expect((await search('旧标题')).meta.total).toBe(1);
    const updated = await h.call({
      method: 'PATCH',
      url: `/api/articles/${id}`,
      as: h.users.author,
      payload: { title: '新标题测试', markdown: '全新的正文内容' },
    });
    expect(updated.statusCode, updated.body).toBe(200);
    expect((await search('旧标题')).meta.total).toBe(0);
    expect((await search('新标题')).meta.total).toBe(1);
    expect((await search('全新的正文')).meta.total).toBe(1);
  });

  it('a punctuation-only query finds nothing with 200, an empty one is a 400', async () => {
    const none = await search('「」、。！？');
    expect(none).toMatchObject({ data: [], meta: { total: 0 } });
    const empty = await h.call({ method: 'GET', url: '/api/articles/search?q=' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json()).toMatchObject({ error: { code: expect.any(String) } });
  });

  it('odd letters (lone marks, kana length marks, wide digits, long runs) are searched without an error', async () => {
    for (const q of ['\u0301', 'ー', 'ーー', '〇', '１２３', 'ـ', 'a\u0301b', '数'.repeat(200), 'x'.repeat(200)]) {
      const res = await h.call({ method: 'GET', url: `/api/articles/search?q=${encodeURIComponent(q)}` });
      expect(res.statusCode, `${q}: ${res.body}`).toBe(200);
    }
    expect(await slugs('データ')).toEqual([a.japanese!.slug]);
  });

  it('the site search page shows the Chinese results, best first', async () => {
    const r = await h.call({ method: 'GET', url: `/search?q=${encodeURIComponent('数据库')}` });
    expect(r.statusCode).toBe(200);
    const titles = cardTitles(r.body);
    expect(titles.slice(0, 2).sort()).toEqual(['MySQL数据库调优', '我们的数据库备份很快'].sort());
    expect(titles[2]).toBe('运维周报');
    expect(r.body).toContain('3 found');
  });
});
