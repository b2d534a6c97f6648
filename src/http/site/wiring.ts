import type { App } from '../../app.js';
import { createSiteLookups } from '../../adapters/db/repositories/site-lookups.js';
import { createSiteReader } from '../../services/site/site-reader.js';
import { createPageCache, type PageCache } from '../page-cache/page-cache.js';
import type { SiteDeps } from './index.js';

/** The page cache (shared by the site and the API's anonymous reads) and the site, built from the app. */
export function webCaching(app: App): { pageCache: PageCache; site: SiteDeps } {
  const pageCache = createPageCache({ cache: app.cache, enabled: app.config.http.cache });
  const reader = createSiteReader({
    articles: app.blog.articles,
    comments: app.blog.comments,
    lookups: createSiteLookups(app.db),
    mediaPublicUrl: app.config.media.publicUrl,
    now: () => app.clock.now(),
    pageSize: async () => (await app.blog.settings.get()).postsPerPage,
  });
  return {
    pageCache,
    site: {
      reader,
      comments: app.blog.comments,
      pageCache,
      settings: () => app.blog.settings.get(),
      url: app.config.appUrl,
    },
  };
}
