import type { FastifyReply } from 'fastify';
import type { SafeHtml } from './html.js';
import { layout, type PageMeta, type SiteInfo } from './templates/layout.js';
import { errorBody, errorTitle } from './templates/errors.js';

export const HTML = 'text/html; charset=utf-8';

export function sendPage(reply: FastifyReply, site: SiteInfo, meta: PageMeta, main: SafeHtml, status = 200) {
  return reply
    .code(status)
    .type(HTML)
    .send(layout(site, meta, main));
}

export function sendErrorPage(reply: FastifyReply, site: SiteInfo, status: number, path: string, detail?: string) {
  return sendPage(
    reply,
    site,
    { title: errorTitle(status), description: errorTitle(status), path, noindex: true },
    errorBody(status, detail),
    status,
  );
}
