import { mkdirSync, openSync, readdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';

type Destination = ReturnType<typeof pino.destination>;

export const DAILY_FILE = /^inkstone-(\d{4}-\d{2}-\d{2})\.log$/;

export function dailyFileName(date: Date): string {
  return `inkstone-${date.toISOString().slice(0, 10)}.log`;
}

/**
 * The `daily` log channel: `<dir>/inkstone-YYYY-MM-DD.log` (UTC dates), a new file at midnight, files older than
 * `keepDays` removed at each switch. Writes go through pino's buffered destination, so a line costs no syscall.
 */
export class DailyFileStream {
  private day = '';
  private dest: Destination | undefined;

  constructor(
    private readonly dir: string,
    private readonly keepDays: number,
    private readonly now: () => Date = () => new Date(),
  ) {
    mkdirSync(dir, { recursive: true });
  }

  write(line: string): void {
    const today = this.now().toISOString().slice(0, 10);
    if (today !== this.day) this.switchTo(today);
    this.dest!.write(line);
  }

  flushSync(): void {
    this.dest?.flushSync();
  }

  end(): void {
    if (this.dest) {
      this.dest.flushSync();
      this.dest.end();
      this.dest = undefined;
    }
  }

  private switchTo(day: string): void {
    this.end();
    this.day = day;
    // Opened here, synchronously, so the destination is ready at once and can be flushed at any moment.
    const fd = openSync(join(this.dir, `inkstone-${day}.log`), 'a');
    this.dest = pino.destination({ fd, sync: false, minLength: 4096 });
    removeOldDailyFiles(this.dir, this.keepDays, this.now());
  }
}

/** Deletes daily files older than `keepDays` days; returns the names removed. Shared with `log:clear`. */
export function removeOldDailyFiles(dir: string, keepDays: number, now: Date): string[] {
  const cutoff = new Date(now.getTime() - keepDays * 86_400_000).toISOString().slice(0, 10);
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    const m = DAILY_FILE.exec(name);
    if (m && m[1]! < cutoff) {
      try {
        unlinkSync(join(dir, name));
        removed.push(name);
      } catch {
        // another process removed it first
      }
    }
  }
  return removed;
}
