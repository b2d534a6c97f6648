import type { Logger } from '../log/logger.js';

export interface Notice {
  ok: boolean;
  action: string;
  id: string | null;
  message: string;
}

/**
 * Posts a notice to a Slack incoming webhook (`{text}`) or any other webhook (the notice as JSON). A notifier
 * that is down must not fail the backup it reports on: failures are logged, never thrown.
 */
export function createWebhookNotifier(url: string | undefined, appName: string, logger: Logger) {
  return async (notice: Notice): Promise<void> => {
    if (!url) return;
    const slack = new URL(url).hostname === 'hooks.slack.com';
    const text = `${notice.ok ? ':white_check_mark:' : ':x:'} ${appName} ${notice.action} ${notice.ok ? 'succeeded' : 'failed'}${notice.id ? ` (${notice.id})` : ''}: ${notice.message}`;
    const body = slack ? { text } : { app: appName, ...notice };
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(5000),
      });
      if (!res.ok) logger.warn({ status: res.status }, 'backup notification was refused');
    } catch (err) {
      logger.warn({ err: (err as Error).message }, 'backup notification failed');
    }
  };
}
