export interface NotableRequest {
  at: string;
  kind: 'error' | 'slow';
  requestId: string;
  method: string;
  route: string;
  url: string;
  status: number;
  ms: number;
  userId: number | null;
}

/**
 * The last few failed (5xx) and slow requests of this instance, newest first, with the request id that finds their
 * log lines: the dashboard's request inspector. A fixed-size ring, so an error storm costs no memory.
 */
export class RecentRequests {
  private readonly ring: NotableRequest[] = [];
  private next = 0;

  constructor(private readonly size = 50) {}

  add(entry: NotableRequest): void {
    if (this.ring.length < this.size) this.ring.push(entry);
    else this.ring[this.next] = entry;
    this.next = (this.next + 1) % this.size;
  }

  list(): NotableRequest[] {
    const n = this.ring.length;
    const out: NotableRequest[] = [];
    for (let k = 1; k <= n; k++) out.push(this.ring[(this.next - k + n * 2) % n]!);
    return out;
  }
}
