import type { IncomingMessage } from 'node:http';
import { bearerToken } from '@care-chat/runtime';
import type { GatewaySocket } from './types.js';

const nonEmpty = (value: unknown): string | undefined =>
  typeof value === 'string' && value.length > 0 ? value : undefined;

/** The JWT from the first of: `auth.token`, the `token` query parameter, an `Authorization: Bearer` header. */
export function handshakeToken(handshake: GatewaySocket['handshake']): string | undefined {
  const auth: Record<string, unknown> = handshake.auth;
  const header = nonEmpty(handshake.headers.authorization);
  return nonEmpty(auth.token) ?? nonEmpty(handshake.query.token) ?? bearerToken(header);
}

/**
 * The JWT of the HTTP request that opens a session, before Socket.IO has a handshake: the `token` query
 * parameter (where the dashboard puts it) or a Bearer header. An `auth.token` comes later, with the
 * client's CONNECT packet.
 */
export function requestToken(req: IncomingMessage): string | undefined {
  const query = new URL(req.url ?? '/', 'http://gateway').searchParams.get('token');
  return nonEmpty(query) ?? bearerToken(nonEmpty(req.headers.authorization));
}

/**
 * Drops the token, wherever it came, from a handshake that has been authenticated: nothing reads it again,
 * it should not outlive its check in memory, and with the URL that carried it it is much of what a
 * handshake holds for the life of the connection. (Dropping all the headers was tried: it did not
 * measurably save memory.)
 */
export function trimHandshake(handshake: GatewaySocket['handshake']): void {
  const { auth, query, headers } = handshake as { auth: Record<string, unknown> } & typeof handshake;
  if ('token' in auth) delete auth.token;
  if ('token' in query) delete query.token;
  if ('authorization' in headers) delete headers.authorization;
  handshake.url = handshake.url.slice(0, handshake.url.indexOf('?') >>> 0);
}
