// Realistic-looking demo content in English and Chinese, from a seeded generator so runs are reproducible.

export type Random = () => number;

/** mulberry32: small, fast, good enough for picking demo words. */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(r: Random, list: readonly T[]): T => list[Math.floor(r() * list.length)]!;

const EN_OPENERS = [
  'How we',
  'Why you should',
  'Notes on how to',
  'A field guide: how to',
  'What it takes to',
  'Lessons learned as we',
];
const EN_VERBS = [
  'migrate',
  'back up',
  'monitor',
  'deploy',
  'scale',
  'profile',
  'restore',
  'cache',
  'test',
  'document',
];
const EN_OBJECTS = [
  'a MariaDB primary',
  'PostgreSQL on a small VPS',
  'a blog with ten thousand posts',
  'Redis-backed sessions',
  'a Node.js API',
  'nightly backups',
  'SQLite in production',
  'blue-green releases',
  'our job queue',
  'image thumbnails',
];
const EN_TAILS = ['', ' without downtime', ' in one afternoon', ' on a budget', ', step by step', ' the boring way'];
const EN_PARAGRAPHS = [
  'Most outages we have seen started with a change nobody thought was risky. Writing the **rollback** down before the deploy made the difference.',
  'The numbers matter less than the trend: a p99 that creeps up by a few milliseconds a week is a signal worth a ticket.',
  'We keep the runbook next to the code. When the runbook and the script disagree, the script wins and the runbook gets fixed in the same pull request.',
  'A backup you have never restored is a hope, not a backup. Once a month we restore the newest one into a scratch database and run the checks.',
  'Small, frequent releases are easier to reason about than big ones. Each one carries its own migration, and every migration can be rolled back.',
  'Caching is a promise to forget at the right time. Name every key, give it a TTL, and decide up front who invalidates it.',
  'Logs are for humans at 3 a.m.: one line per event, the request id on every line, and never a password or a token.',
];
const EN_LISTS = [
  '- measure first\n- change one thing\n- measure again',
  '1. snapshot\n2. migrate\n3. verify\n4. switch traffic',
];
const CODE = [
  '```sh\ninkstone backup:run --only-db\n```',
  '```ts\nconst rows = await db.selectFrom("articles").selectAll().execute();\n```',
];

const ZH_TOPICS = [
  '数据库迁移',
  '自动备份',
  '蓝绿部署',
  '性能监控',
  '缓存策略',
  '队列任务',
  '日志轮转',
  '灾难恢复',
  '读写分离',
  '全文搜索',
];
const ZH_FORMS = ['实战：', '浅谈', '从零开始的', '一次', '我们如何做', '关于'];
const ZH_TAILS = ['', '的经验总结', '的完整指南', '踩坑记录', '最佳实践', '（附脚本）'];
const ZH_PARAGRAPHS = [
  '上线前先写好**回滚方案**，这是我们从多次事故中学到的最重要的一课。',
  '备份只有在成功恢复之后才算数。我们每个月都会把最新的备份恢复到临时数据库中，并运行完整的检查。',
  '监控的关键不在于指标的数量，而在于告警是否能让值班的人在凌晨三点迅速做出判断。',
  '每一次发布都尽量小：一个变更、一个迁移、一个可以验证的结果。这样出问题时很容易定位。',
  '缓存是一种"在正确的时间忘记"的承诺：每个键都要有名字、有过期时间，并且事先决定由谁来失效它。',
  '日志是写给深夜排障的人看的：每个事件一行，每行都带请求 ID，绝不记录密码或令牌。',
];

export const DEMO_TAGS = [
  'DevOps',
  'Databases',
  'Backups',
  'Monitoring',
  'Node.js',
  'TypeScript',
  'PostgreSQL',
  'MariaDB',
  'SQLite',
  'Redis',
  'Performance',
  'Security',
  'Release notes',
  '运维',
  '数据库',
  '备份',
  '监控',
  '性能优化',
  '部署',
  '架构',
];

export const FIRST_NAMES = [
  'Alice',
  'Bao',
  'Chen',
  'Dana',
  'Elif',
  'Farid',
  'Grace',
  'Hiro',
  'Ines',
  'Jun',
  'Lena',
  'Mei',
];
export const LAST_NAMES = ['Wang', 'Smith', 'Li', 'Garcia', 'Zhang', 'Novak', 'Liu', 'Okafor', 'Chen', 'Silva'];
const COMMENTS = [
  'Thanks, this saved me an evening.',
  'Did you measure the restore time as well?',
  'We do the same, but with a staging database in between.',
  '写得很清楚，收藏了。',
  '请问 MariaDB 10.11 上也适用吗？',
  'Great write-up — the checklist is going into our wiki.',
];

export function demoArticle(r: Random, chinese: boolean): { title: string; markdown: string; tags: string[] } {
  const tags = new Set<string>();
  const tagCount = 1 + Math.floor(r() * 3);
  while (tags.size < tagCount) tags.add(pick(r, DEMO_TAGS));
  if (chinese) {
    const title = `${pick(r, ZH_FORMS)}${pick(r, ZH_TOPICS)}${pick(r, ZH_TAILS)}`;
    const parts = [`## ${pick(r, ZH_TOPICS)}`];
    for (let i = 0; i < 3 + Math.floor(r() * 3); i++) parts.push(pick(r, ZH_PARAGRAPHS));
    if (r() < 0.4) parts.push(pick(r, CODE));
    return { title, markdown: parts.join('\n\n'), tags: [...tags] };
  }
  const title = `${pick(r, EN_OPENERS)} ${pick(r, EN_VERBS)} ${pick(r, EN_OBJECTS)}${pick(r, EN_TAILS)}`;
  const parts = [`## ${pick(r, EN_VERBS).replace(/^./, (c) => c.toUpperCase())} first`];
  for (let i = 0; i < 3 + Math.floor(r() * 3); i++) parts.push(pick(r, EN_PARAGRAPHS));
  if (r() < 0.5) parts.push(pick(r, EN_LISTS));
  if (r() < 0.4) parts.push(pick(r, CODE));
  return { title, markdown: parts.join('\n\n'), tags: [...tags] };
}

export function demoComment(r: Random): { name: string; email: string; body: string } {
  const first = pick(r, FIRST_NAMES);
  const last = pick(r, LAST_NAMES);
  return {
    name: `${first} ${last}`,
    email: `${first}.${last}@example.com`.toLowerCase(),
    body: pick(r, COMMENTS),
  };
}
