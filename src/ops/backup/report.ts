import type { BackupDeps } from './deps.js';

/** Runs a backup or restore, then logs and notifies its outcome either way (the error still propagates). */
export async function reported<T>(
  deps: BackupDeps,
  action: 'backup' | 'restore',
  run: () => Promise<T>,
  describe: (result: T) => { id: string | null; message: string },
): Promise<T> {
  try {
    const result = await run();
    const { id, message } = describe(result);
    deps.logger.info({ action, id }, `${action} succeeded: ${message}`);
    await deps.notify({ ok: true, action, id, message });
    return result;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    deps.logger.error({ action }, `${action} failed: ${message}`);
    await deps.notify({ ok: false, action, id: null, message });
    throw err;
  }
}
