import type { Logger } from 'pino';
import { ConfigError } from './env.js';
import { createLogger } from './logger.js';
import { exitOnFatalError } from './shutdown.js';

/**
 * The first steps of every process: a root logger, fatal errors logged, configuration parsed. A bad
 * configuration exits 1 before anything connects, with one line naming every bad variable.
 */
export function boot<C extends { logLevel: Logger['level'] }>(
  service: string,
  load: () => C,
): { log: Logger; config: C } {
  const log = createLogger(service, 'info');
  exitOnFatalError(log);
  try {
    const config = load();
    log.level = config.logLevel;
    return { log, config };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    log.fatal({ problems: error.problems }, error.message);
    process.exit(1);
  }
}
