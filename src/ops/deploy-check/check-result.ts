/** One line of the pre-deploy checklist. A warning is printed but does not fail the check; a failure does. */
export interface CheckResult {
  readonly name: CheckName;
  readonly status: 'pass' | 'warn' | 'fail';
  readonly detail: string;
}

export type CheckName =
  'node' | 'lockfile' | 'database' | 'redis' | 'disk' | 'migrations' | 'backup' | 'config' | 'audit';

export const pass = (name: CheckName, detail: string): CheckResult => ({ name, status: 'pass', detail });
export const warn = (name: CheckName, detail: string): CheckResult => ({ name, status: 'warn', detail });
export const fail = (name: CheckName, detail: string): CheckResult => ({ name, status: 'fail', detail });
