import type { Command } from 'commander';
import type { CliIO } from '../io.js';
import { registerQueueWorkCommand } from './queue-work.js';
import { registerQueueToolCommands } from './queue-tools.js';
import { registerScheduleCommands } from './schedule.js';
import { registerMaintenanceCommands } from './maintenance.js';

/** queue:*, schedule:* and the maintenance commands the schedule runs. */
export function registerJobsCommands(program: Command, io: CliIO): void {
  registerQueueWorkCommand(program, io);
  registerQueueToolCommands(program, io);
  registerScheduleCommands(program, io);
  registerMaintenanceCommands(program, io);
}
