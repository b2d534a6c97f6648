import type { Logger } from '../../adapters/log/logger.js';

export type Severity = 'warning' | 'critical';

/** One condition the engine watches. `evaluate` is cheap (reads in-process numbers or one small query). */
export interface AlertRule {
  readonly name: string;
  readonly severity: Severity;
  evaluate(): Promise<{ firing: boolean; summary: string }>;
}

export interface AlertEvent {
  rule: string;
  severity: Severity;
  /** firing: first notice; repeat: still firing after the repeat interval; resolved: the recovery notice. */
  state: 'firing' | 'repeat' | 'resolved';
  summary: string;
  at: Date;
}

export interface AlertChannel {
  readonly name: string;
  send(event: AlertEvent): Promise<void>;
}

interface RuleState {
  since: Date;
  lastNotified: Date;
}

/**
 * Evaluates the rules and turns their state into notices: once when a rule starts firing, again every
 * `repeatMs` while it lasts, and one recovery notice when it clears. A channel that fails is logged and does
 * not stop the others. Each instance evaluates its own numbers; Prometheus rules (docker/prometheus) cover a fleet.
 */
export class AlertEngine {
  private readonly firing = new Map<string, RuleState>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly rules: AlertRule[],
    private readonly channels: AlertChannel[],
    private readonly options: { repeatMs: number; logger: Logger; now?: () => Date },
  ) {}

  /** The rules firing now (for health and the ops dashboard). */
  active(): { rule: string; since: Date }[] {
    return [...this.firing].map(([rule, s]) => ({ rule, since: s.since }));
  }

  async evaluate(): Promise<AlertEvent[]> {
    const now = this.options.now?.() ?? new Date();
    const events: AlertEvent[] = [];
    for (const rule of this.rules) {
      let result: { firing: boolean; summary: string };
      try {
        result = await rule.evaluate();
      } catch (err) {
        this.options.logger.warn({ err, rule: rule.name }, 'alert rule could not be evaluated');
        continue;
      }
      const state = this.firing.get(rule.name);
      if (result.firing && !state) {
        this.firing.set(rule.name, { since: now, lastNotified: now });
        events.push({ rule: rule.name, severity: rule.severity, state: 'firing', summary: result.summary, at: now });
      } else if (result.firing && state && now.getTime() - state.lastNotified.getTime() >= this.options.repeatMs) {
        state.lastNotified = now;
        events.push({ rule: rule.name, severity: rule.severity, state: 'repeat', summary: result.summary, at: now });
      } else if (!result.firing && state) {
        this.firing.delete(rule.name);
        events.push({ rule: rule.name, severity: rule.severity, state: 'resolved', summary: result.summary, at: now });
      }
    }
    for (const event of events) await this.notify(event);
    return events;
  }

  start(intervalMs: number): void {
    this.timer = setInterval(() => void this.evaluate(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private async notify(event: AlertEvent): Promise<void> {
    const level = event.state === 'resolved' ? 'info' : event.severity === 'critical' ? 'error' : 'warn';
    this.options.logger[level](
      { alert: event.rule, severity: event.severity, state: event.state },
      `alert ${event.rule} ${event.state}: ${event.summary}`,
    );
    await Promise.all(
      this.channels.map((c) =>
        c
          .send(event)
          .catch((err: unknown) => this.options.logger.warn({ err, channel: c.name }, 'alert channel failed')),
      ),
    );
  }
}
