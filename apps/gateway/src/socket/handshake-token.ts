import { bearerToken } from '../auth/bearer.js';
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
