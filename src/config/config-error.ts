/** A setting that is missing or malformed: names the variable and what is expected (the CLI prints it, exit 2). */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly expected: string,
  ) {
    super(`${variable}: ${expected}`);
    this.name = 'ConfigError';
  }
}
