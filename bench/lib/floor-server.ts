import { createServer } from 'node:http';
import { hash } from 'node:crypto';
import Database from 'better-sqlite3';

// A reference point for the uncached `GET /api/articles/:slug` on SQLite, not a baseline to judge by: the least any
// Node server can do for the same response. One prepared statement (the article, its author and its tags as JSON),
// JSON.stringify, a SHA-1 ETag, node:http; no framework, no validation, no log line, no metrics. The gap between
// this row and Inkstone's is what routing, hooks, schemas, the query builder and observability cost.
// bench/site.ts checks that it answers the same JSON as the real API before measuring it.
const port = Number(process.argv[2]);
const file = process.argv[3]!;
const db = new Database(file, { readonly: true });

interface Row {
  id: number;
  author_id: number;
  author_name: string;
  title: string;
  slug: string;
  excerpt: string;
  status: string;
  published_at: string | null;
  cover_media_id: number | null;
  reading_minutes: number;
  created_at: string;
  updated_at: string;
  markdown: string;
  html: string;
  tags: string;
}

const bySlug = db.prepare<[string], Row>(`
  select a.id, a.author_id, u.name as author_name, a.title, a.slug, a.excerpt, a.status, a.published_at,
    a.cover_media_id, a.reading_minutes, a.created_at, a.updated_at, a.markdown, a.html,
    (select json_group_array(json_object('id', t.id, 'name', t.name, 'slug', t.slug))
       from (select t.id, t.name, t.slug from article_tags at join tags t on t.id = at.tag_id
             where at.article_id = a.id order by t.name) t) as tags
  from articles a join users u on u.id = a.author_id where a.slug = ?`);

const iso = (text: string) => new Date(text).toISOString();
const PREFIX = '/api/articles/';

createServer((req, res) => {
  const a = bySlug.get(decodeURIComponent((req.url ?? '').slice(PREFIX.length)));
  if (a === undefined) {
    res.writeHead(404).end();
    return;
  }
  const body = JSON.stringify({
    id: a.id,
    title: a.title,
    slug: a.slug,
    excerpt: a.excerpt,
    status: a.status,
    publishedAt: a.published_at === null ? null : iso(a.published_at),
    readingMinutes: a.reading_minutes,
    coverMediaId: a.cover_media_id,
    author: { id: a.author_id, name: a.author_name },
    tags: JSON.parse(a.tags) as unknown,
    createdAt: iso(a.created_at),
    updatedAt: iso(a.updated_at),
    markdown: a.markdown,
    html: a.html,
  });
  res.writeHead(200, {
    'content-type': 'application/json; charset=utf-8',
    etag: `"${hash('sha1', body, 'base64url')}"`,
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}).listen(port, '127.0.0.1');
