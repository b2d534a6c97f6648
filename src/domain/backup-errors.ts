import { AppError } from './errors.js';

/** A backup or restore that cannot go on; the message is the one line the operator sees. */
export class BackupError extends AppError {
  constructor(code: string, message: string) {
    super(code, message, 500);
    this.name = 'BackupError';
  }
}
