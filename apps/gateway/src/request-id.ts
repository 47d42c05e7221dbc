import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const REQUEST_ID_HEADER = 'x-request-id';

// What a proxy or a caller puts there (UUIDs, Railway's and Heroku's ids, trace ids); anything else, or
// anything longer, is a client writing into our logs.
const USABLE = /^[\w.:@/+=-]{1,128}$/;

/**
 * Fastify's `genReqId`: the caller's `x-request-id` when it is usable, so one request can be followed
 * from the proxy through the gateway's lines; a new UUID otherwise.
 */
export function requestId(request: IncomingMessage): string {
  const given = request.headers[REQUEST_ID_HEADER];
  return typeof given === 'string' && USABLE.test(given) ? given : randomUUID();
}
