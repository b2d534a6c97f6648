import type { Migration } from './migration.js';
import { createUsersAndAuth } from './0001_create_users_and_auth.js';
import { createMedia } from './0002_create_media.js';
import { createArticlesAndTags } from './0003_create_articles_and_tags.js';
import { createComments } from './0004_create_comments.js';
import { createJobs } from './0005_create_jobs.js';
import { addArticleSearch } from './0006_add_article_search.js';
import { createQueueMetricsAndScheduleRuns } from './0007_queue_metrics_and_schedule_runs.js';
import { addArticleListingIndex } from './0008_add_article_listing_index.js';
import { addMediaAlt } from './0009_add_media_alt.js';
import { createSettings } from './0010_create_settings.js';
import { addCjkArticleSearch } from './0011_add_cjk_article_search.js';
import { coverArticleTagsByTag } from './0012_cover_article_tags_by_tag.js';
import { addArticleTagsLiveAt } from './0013_add_article_tags_live_at.js';
import { keepLiveAtOnMovedTags } from './0014_keep_live_at_on_moved_tags.js';
import { clearSqliteStatSamples } from './0015_clear_sqlite_stat_samples.js';

/** Every migration, in the order they apply. Append only: a landed migration is never edited or reordered. */
export const migrations: readonly Migration[] = [
  createUsersAndAuth,
  createMedia,
  createArticlesAndTags,
  createComments,
  createJobs,
  addArticleSearch,
  createQueueMetricsAndScheduleRuns,
  addArticleListingIndex,
  addMediaAlt,
  createSettings,
  addCjkArticleSearch,
  coverArticleTagsByTag,
  addArticleTagsLiveAt,
  keepLiveAtOnMovedTags,
  clearSqliteStatSamples,
];

export type { Migration } from './migration.js';
