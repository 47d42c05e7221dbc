import type { ExtendedError } from 'socket.io';
import type { TokenVerifier } from '../auth/token-verifier.js';
import { AuthError } from '../errors.js';
import { handshakeToken } from './handshake-token.js';
import type { GatewaySocket } from './types.js';

/**
 * Socket.IO middleware: a socket without a valid token never connects. The client gets `connect_error`
 * with message `unauthorized` and `data.code` saying why. A session recovered with another executive's
 * token keeps none of its rooms, so nothing it missed reaches them.
 */
export function authenticate(verifyToken: TokenVerifier) {
  return (socket: GatewaySocket, next: (err?: ExtendedError) => void) => {
    try {
      // Restored with the session: the executive whose it was.
      const previous = socket.recovered ? socket.data.executive?.id : undefined;
      socket.data.executive = verifyToken(handshakeToken(socket.handshake));
      if (previous !== undefined && previous !== socket.data.executive.id) leaveAllRooms(socket);
      next();
    } catch (error) {
      if (!(error instanceof AuthError)) return next(error as Error);
      const refusal: ExtendedError = Object.assign(new Error(error.message), { data: { code: error.code } });
      next(refusal);
    }
  };
}

function leaveAllRooms(socket: GatewaySocket): void {
  for (const room of [...socket.rooms]) if (room !== socket.id) void socket.leave(room);
}
