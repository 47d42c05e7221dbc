import {
  type BaseLogger,
  type Bindings,
  type ChildLoggerOptions,
  type DestinationStream,
  type Logger,
  type LoggerOptions,
  pino,
} from 'pino';
import type { LogLevel } from './env.js';
import { prettyDestination } from './pretty.js';

/** What modules need of a logger; Fastify's `app.log` and a pino root logger both are one. */
export interface Log
  extends Pick<BaseLogger, 'level' | 'info' | 'error' | 'debug' | 'fatal' | 'warn' | 'trace' | 'silent'> {
  child(bindings: Bindings, options?: ChildLoggerOptions): Log;
}

// The dashboard puts its JWT in the URL, and Meta's handshake its verify token: no query value is logged.
const SECRET_QUERY = /([?&](?:token|access_token|hub\.verify_token|hub\.challenge)=)[^&#]*/gi;

export function redactUrl(url: string): string {
  return url.replace(SECRET_QUERY, '$1[redacted]');
}

interface LoggedRequest {
  method?: string;
  url?: string;
  ip?: string;
}

/**
 * One root logger per process; modules take children of it. Secrets are redacted at every level.
 * Writes JSON lines to stdout unless given another destination; `pretty`, readable lines (for a terminal).
 */
export function createLogger(
  service: string,
  level: LogLevel,
  destination?: DestinationStream,
  pretty = false,
): Logger {
  const options: LoggerOptions = {
    name: service,
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: [
        'token',
        '*.token',
        'secret',
        '*.secret',
        'password',
        '*.password',
        'headers.authorization',
        'headers.cookie',
        'headers["x-hub-signature-256"]',
        'req.headers.authorization',
        'req.headers.cookie',
      ],
      censor: '[redacted]',
    },
    serializers: {
      err: pino.stdSerializers.err,
      req: (req: LoggedRequest) => ({ method: req.method, url: redactUrl(req.url ?? ''), ip: req.ip }),
    },
  };
  if (pretty) return pino(options, prettyDestination(destination ?? 1));
  return destination === undefined ? pino(options) : pino(options, destination);
}
