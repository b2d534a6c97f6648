import { can, type Actor } from '../../domain/policy.js';
import { ForbiddenError, NotFoundError } from '../../domain/errors.js';
import type { QueueDriver } from '../../adapters/queue/queue-port.js';
import { backupJob, type BackupJobPayload } from '../../jobs/names.js';
import { readOverview, type OpsOverview, type OverviewDeps } from './overview.js';

/** What the ops dashboard may do: read the overview, retry or forget failed jobs, queue a backup. Admins only. */
export interface OpsConsole {
  overview(actor: Actor): Promise<OpsOverview>;
  retryFailed(actor: Actor, id: string): Promise<void>;
  forgetFailed(actor: Actor, id: string): Promise<void>;
  /** Queues a backup for the worker (a backup can take minutes: never in a web request); returns the job id. */
  queueBackup(actor: Actor, payload: BackupJobPayload): Promise<string>;
}

export function createOpsConsole(deps: OverviewDeps & { queue: QueueDriver }): OpsConsole {
  const mustManage = (actor: Actor) => {
    if (!can(actor, 'ops:manage')) throw new ForbiddenError('only admins see the ops dashboard');
  };
  return {
    async overview(actor) {
      mustManage(actor);
      return readOverview(deps);
    },
    async retryFailed(actor, id) {
      mustManage(actor);
      const retried = await deps.queue.retryFailed([id]);
      if (retried.length === 0) throw new NotFoundError('failed job');
    },
    async forgetFailed(actor, id) {
      mustManage(actor);
      if (!(await deps.queue.forgetFailed(id))) throw new NotFoundError('failed job');
    },
    async queueBackup(actor, payload) {
      mustManage(actor);
      return deps.queue.enqueue(backupJob(payload));
    },
  };
}
