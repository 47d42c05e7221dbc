import type { GatewaySocket } from './types.js';

const BEARER = /^Bearer\s+(\S+)$/i;

const nonEmpty = (value: unknown): string | undefined =>
  typeof value === 'string' && value.length > 0 ? value : undefined;

/** The JWT from the first of: `auth.token`, the `token` query parameter, an `Authorization: Bearer` header. */
export function handshakeToken(handshake: GatewaySocket['handshake']): string | undefined {
  const auth: Record<string, unknown> = handshake.auth;
  const header = nonEmpty(handshake.headers.authorization);
  return nonEmpty(auth.token) ?? nonEmpty(handshake.query.token) ?? (header && BEARER.exec(header)?.[1]);
}

/**
 * Keeps of an authenticated handshake only what is read again: not the token, wherever it came (it should
 * not outlive its check in memory), nor the headers (a browser's cookies among them), nor the URL that
 * carried the token. Past the handshake they are most of what a connection would hold for its life.
 */
export function trimHandshake(handshake: GatewaySocket['handshake']): void {
  delete (handshake.auth as Record<string, unknown>).token;
  delete handshake.query.token;
  handshake.headers = {};
  handshake.url = handshake.url.slice(0, handshake.url.indexOf('?') >>> 0);
}
