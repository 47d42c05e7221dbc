/** Why a connection was refused, sent to the client as `connect_error` `data.code`. */
export const AuthErrorCode = {
  MissingToken: 'missing_token',
  InvalidToken: 'invalid_token',
  TokenExpired: 'token_expired',
} as const;
export type AuthErrorCode = (typeof AuthErrorCode)[keyof typeof AuthErrorCode];

export class AuthError extends Error {
  constructor(readonly code: AuthErrorCode) {
    super('unauthorized');
    this.name = 'AuthError';
  }
}

/** Messages of `status: 0` socket answers that are not input validation. */
export const SocketErrorMessage = {
  Internal: 'Internal error',
  tooManyEvents: 'Too many events: slow down',
  busy: 'Busy: this connection has too many events in progress; send it again later',
  notSupported: (event: string) => `Not supported yet: ${event}`,
  forbiddenRoom: (room: string) => `Not allowed to join room: ${room}`,
  forbiddenCustomerType: (type: string) => `Not allowed to see customer type: ${type}`,
  chatNotFound: (chatId: string) => `Chat not found: ${chatId}`,
  notInChat: (chatId: string) => `Join chat ${chatId} first`,
  tooManyChats: (limit: number) => `Too many chats open (${limit}): leave one first`,
  noChatFor: (customer: string) => `No chat with customer ${customer}`,
} as const;

/** HTTP answers to a request for another gateway's session that could not be passed to it. */
export const ForwardError = {
  peerUnavailable: {
    status: 502,
    error: 'peer_unavailable',
    message: 'The gateway holding this session cannot be reached: reconnect',
  },
  peerTimeout: {
    status: 504,
    error: 'peer_timeout',
    message: 'The gateway holding this session did not answer in time: reconnect',
  },
} as const;

/** Messages of `{ status: 0, message }` answers of `/api/auth/*`. */
export const LoginMessage = {
  wrongCredentials: 'Wrong username or password',
  tooManyAttempts: 'Too many login attempts: try again later',
  refreshRefused: 'This session has ended: log in again',
  outsideIssuer: 'Login is handled by the service that issues this deployment’s tokens (JWT_PUBLIC_KEY is set)',
  switchedOff: 'Login is switched off on this deployment (LOGIN_ENABLED=false)',
} as const;
