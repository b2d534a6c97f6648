import { AppError } from '../domain/errors.js';
import type { AppEnv } from '../config/index.js';
import type { Migrator, MigrationState } from '../adapters/db/migrator.js';

/** Schema changes on a production database need the operator to say so (`--force`), as in the design's runbooks. */
export class ProductionGuardError extends AppError {
  constructor(action: string) {
    super(
      'production_requires_force',
      `refusing to ${action} in production without --force (take a backup first: inkstone backup:run --only-db)`,
      409,
    );
  }
}

export interface MigrationService {
  status(): Promise<MigrationState[]>;
  migrate(options: { force?: boolean }): Promise<{ applied: string[]; batch: number | null }>;
  pretend(): Promise<{ name: string; statements: string[] }[]>;
  rollback(options: { step?: number; force?: boolean }): Promise<{ rolledBack: string[] }>;
}

export function createMigrationService(deps: { migrator: Migrator; env: AppEnv }): MigrationService {
  const guard = (action: string, force: boolean | undefined) => {
    if (deps.env === 'production' && !force) throw new ProductionGuardError(action);
  };
  return {
    status: () => deps.migrator.status(),
    pretend: () => deps.migrator.pretend(),
    async migrate({ force }) {
      guard('migrate', force);
      return deps.migrator.migrate();
    },
    async rollback({ step, force }) {
      guard('roll back migrations', force);
      return deps.migrator.rollback(step);
    },
  };
}
