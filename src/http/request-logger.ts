import type { FastifyBaseLogger } from 'fastify';

type Bindings = Record<string, unknown>;
type ChildOptions = Parameters<FastifyBaseLogger['child']>[1];
type Method = 'info' | 'error' | 'debug' | 'fatal' | 'warn' | 'trace' | 'silent';

/**
 * request.log, made on first use. Fastify gives every request a child logger bound to its request id, but most
 * requests never log through it (the request line has a logger of its own, see observability.ts), and a pino child
 * costs an object and its serialised bindings on every request, page-cache hits included.
 */
class LazyRequestLogger {
  private made: FastifyBaseLogger | undefined;

  constructor(
    private readonly parent: FastifyBaseLogger,
    private readonly bindings: Bindings,
    private readonly options: ChildOptions,
  ) {}

  private get log(): FastifyBaseLogger {
    return (this.made ??= this.parent.child(this.bindings, this.options));
  }

  get level(): string {
    return this.log.level;
  }

  set level(level: string) {
    this.log.level = level;
  }

  private call(method: Method, args: unknown[]): void {
    const log = this.log;
    // pino's methods take (object | message, ...arguments): pass whatever the caller passed, as it passed it.
    Reflect.apply(log[method], log, args);
  }

  info(...args: unknown[]) {
    this.call('info', args);
  }
  error(...args: unknown[]) {
    this.call('error', args);
  }
  debug(...args: unknown[]) {
    this.call('debug', args);
  }
  fatal(...args: unknown[]) {
    this.call('fatal', args);
  }
  warn(...args: unknown[]) {
    this.call('warn', args);
  }
  trace(...args: unknown[]) {
    this.call('trace', args);
  }
  silent(...args: unknown[]) {
    this.call('silent', args);
  }

  child(bindings: Bindings, options?: ChildOptions): FastifyBaseLogger {
    return this.log.child(bindings, options);
  }
}

/** Fastify's childLoggerFactory: the per-request logger, made only when something logs through it. */
export function lazyRequestLogger(logger: FastifyBaseLogger, bindings: Bindings, options: ChildOptions) {
  return new LazyRequestLogger(logger, bindings, options) as unknown as FastifyBaseLogger;
}
