import type { Executive } from '@care-chat/contract';
import type { Log } from '@care-chat/runtime';
import proxyAddr from '@fastify/proxy-addr';
import type { ExtendedError } from 'socket.io';
import type { TrustedProxy } from '../env.js';
import { AuthError } from '../errors.js';
import { handshakeToken } from './handshake-token.js';
import type { GatewaySocket } from './types.js';

/**
 * Socket.IO middleware: a socket without a valid token of a live login never connects. The client gets
 * `connect_error` with message `unauthorized` and `data.code` saying why, and the refusal is logged with
 * that code and the client's address, never the token (which is in the handshake's URL too: not logged).
 * A session recovered with another executive's token keeps none of its rooms, so nothing it missed
 * reaches them.
 */
export function authenticate(
  authenticateToken: (token: string | undefined) => Promise<Executive>,
  log: Log,
  trust: TrustedProxy,
) {
  return async (socket: GatewaySocket, next: (err?: ExtendedError) => void) => {
    try {
      // Restored with the session: the executive whose it was.
      const previous = socket.recovered ? socket.data.executive?.id : undefined;
      socket.data.executive = await authenticateToken(handshakeToken(socket.handshake));
      if (previous !== undefined && previous !== socket.data.executive.id) leaveAllRooms(socket);
      next();
    } catch (error) {
      if (!(error instanceof AuthError)) return next(error as Error);
      // The client's address as the handshake limit takes it: behind a proxy, not the proxy's.
      const address = proxyAddr(socket.request, trust);
      log.info({ code: error.code, address, userAgent: socket.handshake.headers['user-agent'] }, 'handshake refused');
      const refusal: ExtendedError = Object.assign(new Error(error.message), { data: { code: error.code } });
      next(refusal);
    }
  };
}

function leaveAllRooms(socket: GatewaySocket): void {
  for (const room of [...socket.rooms]) if (room !== socket.id) void socket.leave(room);
}

/**
 * A logout that lands between a socket's check and its joining its login's room would disconnect that
 * room before the socket is in it. Asked again once it is in: a logout is written to Redis before its
 * disconnect goes out, so either this sees it or the disconnect finds the socket.
 */
export function disconnectIfRevokedMeanwhile(
  socket: GatewaySocket,
  isRevoked: (loginId: string) => Promise<boolean>,
  log: Log,
): void {
  const { loginId } = socket.data.executive;
  if (loginId === null) return;
  isRevoked(loginId)
    .then((revoked) => revoked && socket.disconnect(true))
    .catch((err: unknown) => log.warn({ err, login: loginId }, 'login not checked again after connecting'));
}
