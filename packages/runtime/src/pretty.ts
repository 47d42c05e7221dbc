import type { DestinationStream } from 'pino';
import PinoPretty, { prettyFactory } from 'pino-pretty';
import { env } from './env.js';

// What every line has and a person reading a terminal does not need: the service is the logger's name.
const OPTIONS = { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,service' } as const;

/**
 * Logs for a person at a terminal: one coloured line each, the time, the level, the service, the message,
 * then the fields. Written synchronously, so a fatal line is out before the process exits.
 */
export function prettyDestination(destination: DestinationStream | number = 1): DestinationStream {
  const colorize = destination === 1 && process.stdout.isTTY === true;
  return PinoPretty({ ...OPTIONS, colorize, sync: true, destination });
}

/** The same rendering for JSON lines another process wrote; a line that is not JSON is passed on as it is. */
export function prettyLine(colorize: boolean): (line: string) => string {
  const format = prettyFactory({ ...OPTIONS, colorize });
  return (line) => {
    if (!line.startsWith('{')) return line;
    try {
      return format(JSON.parse(line)).trimEnd();
    } catch {
      return line;
    }
  };
}

/** LOG_PRETTY: unset, readable where standard output is a terminal, JSON elsewhere (a pipe, a log collector). */
export function logPrettyField(raw: string | undefined): boolean {
  return env.boolean(process.stdout.isTTY === true)(raw);
}
