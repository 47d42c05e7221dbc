import type { Logger } from 'pino';
import { ConfigError } from './env.js';
import { createLogger } from './logger.js';
import { exitOnFatalError } from './shutdown.js';

/**
 * The first steps of every process: a root logger, fatal errors logged, configuration parsed. A bad
 * configuration exits 1 before anything connects, with one line naming every bad variable.
 */
export function boot<C extends { logLevel: Logger['level']; logPretty?: boolean }>(
  service: string,
  load: () => C,
): { log: Logger; config: C } {
  let config: C;
  try {
    config = load();
  } catch (error) {
    // No configuration to take the log's form from: JSON, which every collector reads.
    const log = createLogger(service, 'info');
    if (!(error instanceof ConfigError)) log.fatal({ err: error }, 'start-up failed');
    else log.fatal({ problems: error.problems }, error.message);
    process.exit(1);
  }
  const log = createLogger(service, 'info', undefined, config.logPretty === true);
  log.level = config.logLevel;
  exitOnFatalError(log);
  return { log, config };
}
