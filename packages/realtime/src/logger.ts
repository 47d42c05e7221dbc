/** What the package logs through: pino, Fastify's logger and `console` all fit. */
export interface Logger {
  debug(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export const silentLogger: Logger = { debug() {}, warn() {}, error() {} };
