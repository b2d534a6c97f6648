/**
 * The `slack` log channel for level >= error. Lines are grouped for `batchMs`: each distinct error (message +
 * route) is sent once per batch with its count. While errors keep coming the interval doubles (up to 32×), so a
 * storm lasting minutes sends a handful of messages, not one per interval; a quiet spell resets it.
 */
export class SlackSink {
  private pending = new Map<string, { msg: string; route?: string; count: number; first: string; reqId?: string }>();
  private timer: NodeJS.Timeout | undefined;
  private inflight = new Set<Promise<void>>();
  private interval: number;
  private lastFlushAt = 0;
  sent = 0;
  failed = 0;

  constructor(
    private readonly webhookUrl: string,
    private readonly batchMs: number,
    private readonly appName: string,
  ) {
    this.interval = batchMs;
  }

  write(line: string): void {
    let entry: { msg?: string; route?: string; reqId?: string; time?: string; err?: { message?: string } };
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      return;
    }
    const msg = entry.err?.message ? `${entry.msg ?? 'error'}: ${entry.err.message}` : (entry.msg ?? 'error');
    const key = `${msg}\u0000${entry.route ?? ''}`;
    const seen = this.pending.get(key);
    if (seen) seen.count++;
    else this.pending.set(key, { msg, route: entry.route, count: 1, first: entry.time ?? '', reqId: entry.reqId });
    if (!this.timer) {
      const sinceLast = Date.now() - this.lastFlushAt;
      this.interval = sinceLast < this.interval * 2 ? Math.min(this.interval * 2, this.batchMs * 32) : this.batchMs;
      this.timer = setTimeout(() => void this.flush(), this.interval);
    }
  }

  /** Sends what is pending now (also at shutdown). */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.size === 0) return Promise.all(this.inflight).then(() => undefined);
    this.lastFlushAt = Date.now();
    const groups = [...this.pending.values()].sort((a, b) => b.count - a.count);
    this.pending = new Map();
    const total = groups.reduce((n, g) => n + g.count, 0);
    const lines = groups
      .slice(0, 10)
      .map(
        (g) => `• ${g.count}× ${g.msg}${g.route ? ` (${g.route})` : ''}${g.reqId ? ` first request ${g.reqId}` : ''}`,
      );
    if (groups.length > 10) lines.push(`• …and ${groups.length - 10} other kinds`);
    const text = `:rotating_light: ${this.appName}: ${total} error${total === 1 ? '' : 's'}\n${lines.join('\n')}`;
    const p = fetch(this.webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text }),
      signal: AbortSignal.timeout(5000),
    })
      .then((res) => {
        if (res.ok) this.sent++;
        else this.failed++;
      })
      .catch(() => {
        // The log channel must never take the app down; stdout and the daily file still have the lines.
        this.failed++;
      })
      .finally(() => this.inflight.delete(p));
    this.inflight.add(p);
    return p;
  }
}
