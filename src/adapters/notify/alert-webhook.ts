import type { AlertEvent, AlertChannel } from '../../ops/alerts/engine.js';

/**
 * Sends alert events to a webhook: Slack's incoming-webhook format when the URL is Slack's, otherwise a generic
 * JSON body ({ source, alert, severity, state, summary, at }) any receiver can parse.
 */
export function createWebhookAlertChannel(url: string, appName: string): AlertChannel {
  const slack = /(^|\.)slack\.com$/.test(new URL(url).hostname);
  return {
    name: 'webhook',
    async send(event: AlertEvent) {
      const icon =
        event.state === 'resolved'
          ? ':white_check_mark:'
          : event.severity === 'critical'
            ? ':red_circle:'
            : ':warning:';
      const body = slack
        ? { text: `${icon} ${appName} [${event.severity}] ${event.rule} ${event.state}: ${event.summary}` }
        : {
            source: appName,
            alert: event.rule,
            severity: event.severity,
            state: event.state,
            summary: event.summary,
            at: event.at.toISOString(),
          };
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(5000),
      });
      if (!res.ok) throw new Error(`alert webhook answered ${res.status}`);
    },
  };
}
