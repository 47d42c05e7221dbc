import type { IncomingMessage } from 'node:http';
import proxyAddr from '@fastify/proxy-addr';
import type { TokenVerifier } from '../auth/token-verifier.js';
import type { TrustedProxy } from '../env.js';
import { requestToken } from './handshake-token.js';

/**
 * Whose allowance a new session's handshake is taken from. The client's address is taken as `proxy-addr`
 * takes it: the rightmost hop that is not a trusted proxy, so hops a client writes itself change nothing.
 * A handshake carrying a valid token counts against that executive at that address, the others against
 * the address: token-less attempts (and other executives) cannot use up a valid executive's allowance.
 */
export function handshakeSubject(req: IncomingMessage, verifyToken: TokenVerifier, trust: TrustedProxy): string {
  const address = proxyAddr(req, trust);
  const token = requestToken(req);
  if (token === undefined) return address;
  try {
    // Addresses have no spaces: the executive's id after one cannot make another address's subject.
    return `${address} ${verifyToken(token).id}`;
  } catch {
    return address;
  }
}
