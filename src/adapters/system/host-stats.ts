import { cpus, freemem, totalmem } from 'node:os';
import { readFileSync } from 'node:fs';

export interface HostStats {
  /** Busy share of all cores since the previous call, 0..100. */
  cpuPercent(): number;
  /** Memory in use (total minus available, page cache counted as available), 0..100. */
  memoryPercent(): number;
}

export function createHostStats(): HostStats {
  let last = cpuTimes();
  return {
    cpuPercent() {
      const now = cpuTimes();
      const total = now.total - last.total;
      const idle = now.idle - last.idle;
      last = now;
      return total <= 0 ? 0 : Math.max(0, Math.min(100, (1 - idle / total) * 100));
    },
    memoryPercent() {
      const total = totalmem();
      const available = memAvailable() ?? freemem();
      return total === 0 ? 0 : ((total - available) / total) * 100;
    },
  };
}

function cpuTimes(): { idle: number; total: number } {
  let idle = 0;
  let total = 0;
  for (const c of cpus()) {
    idle += c.times.idle;
    total += c.times.user + c.times.nice + c.times.sys + c.times.idle + c.times.irq;
  }
  return { idle, total };
}

/** Linux's MemAvailable: free memory a new process could get (os.freemem() ignores reclaimable cache). */
function memAvailable(): number | undefined {
  try {
    const m = /^MemAvailable:\s+(\d+) kB/m.exec(readFileSync('/proc/meminfo', 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}
