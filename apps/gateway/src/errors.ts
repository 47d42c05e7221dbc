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
  forbiddenRoom: (room: string) => `Not allowed to join room: ${room}`,
  forbiddenCustomerType: (type: string) => `Not allowed to see customer type: ${type}`,
  chatNotFound: (chatId: string) => `Chat not found: ${chatId}`,
  notInChat: (chatId: string) => `Join chat ${chatId} first`,
  tooManyChats: (limit: number) => `Too many chats open (${limit}): leave one first`,
  noChatFor: (customer: string) => `No chat with customer ${customer}`,
  severalChats: (customer: string) => `Customer ${customer} has chats on several numbers: give chat_id`,
  tooManyTags: (limit: number) => `A chat carries at most ${limit} tags: remove one first`,
  templateNeeded:
    'The customer has not written in the last 24 hours: WhatsApp allows only a template message until they do',
  notQueued: 'The reply was stored but could not be queued for WhatsApp: send it again',
  templateNameMissing: 'template_name is required with template_id',
  unknownExecutive: (executiveId: string) => `No executive ${executiveId} is online or known`,
  executiveNotAllowed: (executiveId: string, type: string) => `Executive ${executiveId} may not take ${type} chats`,
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

/** An HTTP answer `{ status: 0, error, message }` with its status. */
export class HttpFailure extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    message: string,
    /** Passed on as `Retry-After`. */
    readonly retryAfter?: string,
  ) {
    super(message);
    this.name = 'HttpFailure';
  }

  get body() {
    return { status: 0, error: this.error, message: this.message } as const;
  }
}

/** Why a call to WhatsApp's Graph API failed, for whatever it was made. */
export const WhatsAppFailure = {
  rateLimited: (retryAfter: string | undefined) =>
    new HttpFailure(429, 'whatsapp_rate_limited', 'WhatsApp is limiting requests: try again later', retryAfter),
  tokenRefused: () =>
    new HttpFailure(502, 'whatsapp_token_refused', "WhatsApp refused this tier's access token (WHATSAPP_ACCESS_TOKEN)"),
  upstream: (status: number, what: string) =>
    new HttpFailure(502, 'whatsapp_error', `WhatsApp answered ${status} for ${what}: try again later`),
  unreachable: () => new HttpFailure(502, 'whatsapp_unreachable', 'WhatsApp could not be reached: try again later'),
  timeout: () => new HttpFailure(504, 'whatsapp_timeout', 'WhatsApp did not answer in time: try again later'),
  notConfigured: () =>
    new HttpFailure(503, 'whatsapp_not_configured', 'This tier has no WhatsApp access token (WHATSAPP_ACCESS_TOKEN)'),
  noNumber: (type: string) =>
    new HttpFailure(
      503,
      'whatsapp_not_configured',
      `This tier has no WhatsApp business number for ${type} (WHATSAPP_NUMBERS, WHATSAPP_BUSINESS_ACCOUNTS)`,
    ),
} as const;

/** Why media could not be served. */
export const MediaFailure = {
  ...WhatsAppFailure,
  notFound: (id: string) => new HttpFailure(404, 'media_not_found', `No media ${id} at WhatsApp (or it was deleted)`),
  tooLarge: (size: number, max: number) =>
    new HttpFailure(413, 'media_too_large', `The media has ${size} bytes, more than the ${max} this tier relays`),
  sizeMismatch: (declared: number, sent: number) =>
    new HttpFailure(502, 'whatsapp_error', `WhatsApp declared ${declared} bytes for the media and sent ${sent}`),
  forged: () => new HttpFailure(403, 'bad_signature', 'This media link is not valid'),
  expired: () => new HttpFailure(403, 'link_expired', 'This media link has expired: open the chat again for a new one'),
} as const;

/** Why `POST /api/media/upload` took no file. */
export const UploadFailure = {
  noFile: () => new HttpFailure(400, 'no_file', 'Send one file, as the multipart field "file"'),
  malformed: (problem: string) =>
    new HttpFailure(400, 'malformed_multipart', `The multipart body is broken: ${problem}`),
  unknownType: (declared: string) =>
    new HttpFailure(
      415,
      'unsupported_media_type',
      `The file's content is no type WhatsApp takes (declared ${declared}): JPEG, PNG, WebP, PDF, Office documents, AAC, AMR, MP3, M4A, Ogg, MP4 or 3GP`,
    ),
  tooLarge: (type: string, max: number) =>
    new HttpFailure(413, 'media_too_large', `A ${type} file may have at most ${max} bytes`),
} as const;

/** Why an executive may not act for a customer type. */
export const AccessFailure = {
  forbiddenType: (type: string) =>
    new HttpFailure(403, 'forbidden_customer_type', `Not allowed to see customer type: ${type}`),
} as const;

/** Why an admin view (`/admin/*`) said no, besides the login's own refusals. */
export const AdminFailure = {
  notAdmin: () => new HttpFailure(401, 'not_admin', 'Only an executive with role admin may see this'),
  unchecked: () =>
    new HttpFailure(503, 'admin_check_failed', 'The credentials could not be checked now: try again shortly'),
} as const;

/** Why `/api/auth/*` said no. */
export const LoginFailure = {
  wrongCredentials: () => new HttpFailure(401, 'wrong_credentials', 'Wrong username or password'),
  tooManyAttempts: (retryAfterMs: number) =>
    new HttpFailure(
      429,
      'too_many_attempts',
      'Too many login attempts: try again later',
      String(Math.max(1, Math.ceil(retryAfterMs / 1000))),
    ),
  refreshRefused: () => new HttpFailure(401, 'session_ended', 'This session has ended: log in again'),
  outsideIssuer: () =>
    new HttpFailure(
      404,
      'login_elsewhere',
      'Login is handled by the service that issues this deployment’s tokens (JWT_PUBLIC_KEY is set)',
    ),
  switchedOff: () =>
    new HttpFailure(404, 'login_off', 'Login is switched off on this deployment (LOGIN_ENABLED=false)'),
} as const;
