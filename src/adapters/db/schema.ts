import type { ColumnType, Generated, Selectable, Insertable, Updateable } from 'kysely';
import type { ArticleStatus, CommentStatus } from '../../domain/article-status.js';
import type { Role } from '../../domain/roles.js';

// Row types of every table, as Kysely sees them. Timestamps are `Date` in code on every dialect: PostgreSQL and
// MySQL return them natively, and the SQLite date plugin (sqlite-dates.ts) stores ISO-8601 UTC text.

export interface UsersTable {
  id: Generated<number>;
  email: string;
  name: string;
  role: Role;
  password_hash: string;
  bio: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface SessionsTable {
  id: string; // sha256 of the cookie value, never the value itself
  user_id: number;
  csrf_token: string;
  ip: string | null;
  user_agent: string | null;
  created_at: Date;
  last_seen_at: Date;
  expires_at: Date;
}

export interface ApiTokensTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  token_hash: string;
  token_prefix: string;
  last_used_at: Date | null;
  expires_at: Date | null;
  created_at: Date;
}

export interface MediaTable {
  id: Generated<number>;
  user_id: number | null;
  storage_key: string;
  original_name: string;
  mime: string;
  size_bytes: number;
  width: number | null;
  height: number | null;
  variants: string | null; // JSON: { "400": key, ... } (see domain/media.ts parseVariants)
  alt: string | null;
  created_at: Date;
}

export interface ArticlesTable {
  id: Generated<number>;
  author_id: number;
  title: string;
  slug: string;
  markdown: string;
  html: string;
  excerpt: string;
  status: ArticleStatus;
  published_at: Date | null;
  cover_media_id: number | null;
  reading_minutes: number;
  created_at: Date;
  updated_at: Date;
  /** Derived from title and markdown on every write, for the full-text indexes (domain/search-text.ts). */
  search_title: string | null;
  search_body: string | null;
}

export interface TagsTable {
  id: Generated<number>;
  name: string;
  slug: string;
  created_at: Date;
}

export interface ArticleTagsTable {
  article_id: number;
  tag_id: number;
  /** The article's published_at while it is published or scheduled, else NULL: set by triggers only (0013). */
  live_at: ColumnType<Date | null, never, never>;
}

export interface CommentsTable {
  id: Generated<number>;
  article_id: number;
  author_name: string;
  author_email: string;
  body: string;
  status: CommentStatus;
  ip: string | null;
  user_agent: string | null;
  created_at: Date;
}

export interface JobsTable {
  id: Generated<number>;
  queue: string;
  name: string;
  payload: string;
  attempts: number;
  max_attempts: number;
  available_at: Date;
  reserved_at: Date | null;
  reserved_by: string | null;
  created_at: Date;
  timeout_ms: number | null;
}

export interface QueueMetricsTable {
  queue: string;
  minute_at: Date;
  processed: number;
  failed: number;
}

export interface ScheduleRunsTable {
  id: Generated<number>;
  task: string;
  slot_at: Date;
  owner: string;
  started_at: Date;
  ended_at: Date | null;
  outcome: 'running' | 'ok' | 'failed' | 'skipped';
  output: string | null;
}

export interface SettingsTable {
  name: string;
  /** JSON text. */
  value: string;
  updated_at: Date;
}

export interface FailedJobsTable {
  id: Generated<number>;
  queue: string;
  name: string;
  payload: string;
  attempts: number;
  error: string;
  stack: string | null;
  failed_at: Date;
}

export interface MigrationsTable {
  name: string;
  batch: number;
  applied_at: Date;
}

export interface MigrationLockTable {
  id: number;
  owner: string;
  acquired_at: Date;
}

export interface DB {
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  media: MediaTable;
  articles: ArticlesTable;
  tags: TagsTable;
  article_tags: ArticleTagsTable;
  comments: CommentsTable;
  jobs: JobsTable;
  failed_jobs: FailedJobsTable;
  queue_metrics: QueueMetricsTable;
  schedule_runs: ScheduleRunsTable;
  settings: SettingsTable;
  inkstone_migrations: MigrationsTable;
  inkstone_migration_lock: MigrationLockTable;
}

export type UserRow = Selectable<UsersTable>;
export type NewUserRow = Insertable<UsersTable>;
/** The search columns are the repository's business: it derives them on every write and never reads them. */
type SearchColumns = 'search_title' | 'search_body';
export type ArticleRow = Omit<Selectable<ArticlesTable>, SearchColumns>;
export type NewArticleRow = Omit<Insertable<ArticlesTable>, SearchColumns>;
export type ArticleUpdate = Omit<Updateable<ArticlesTable>, SearchColumns>;
