import type { ExtendedError } from 'socket.io';
import type { TokenVerifier } from '../auth/token-verifier.js';
import { AuthError } from '../errors.js';
import { handshakeToken } from './handshake-token.js';
import type { GatewaySocket } from './types.js';

/**
 * Socket.IO middleware: a socket without a valid token never connects. The client gets `connect_error`
 * with message `unauthorized` and `data.code` saying why.
 */
export function authenticate(verifyToken: TokenVerifier) {
  return (socket: GatewaySocket, next: (err?: ExtendedError) => void) => {
    try {
      socket.data.executive = verifyToken(handshakeToken(socket.handshake));
      next();
    } catch (error) {
      if (!(error instanceof AuthError)) return next(error as Error);
      const refusal: ExtendedError = Object.assign(new Error(error.message), { data: { code: error.code } });
      next(refusal);
    }
  };
}
