import { createPublicKey } from 'node:crypto';
import { isIP } from 'node:net';
import {
  CUSTOMER_TYPES,
  type CustomerType,
  DEFAULT_REDIS_KEY_PREFIX,
  parseBusinessAccounts,
  parseWhatsAppNumbers,
} from '@care-chat/contract';
import { DEFAULT_RECOVERY_WINDOW_MS } from '@care-chat/realtime';
import {
  type EnvSource,
  env,
  type Field,
  LOG_LEVELS,
  logPrettyField,
  parseEnv,
  secretProblem,
} from '@care-chat/runtime';
import { MEDIA_LINK_VARIABLES, mediaLinkProblems, mediaSignerOf, signedMediaUrl } from '@care-chat/store';
import proxyAddr from '@fastify/proxy-addr';
import { InternalNetwork, PRIVATE_NETWORK, parseCidr } from './cluster/internal-network.js';

export type JwtAlgorithm = 'HS256' | 'RS256' | 'ES256';

export interface JwtConfig {
  /** The HS256 secret or the RS256/ES256 public key (PEM). */
  key: string;
  /** Pinned: a token signed with any other algorithm is refused, whatever its header says. */
  algorithm: JwtAlgorithm;
  issuer: string | undefined;
  audience: string | undefined;
}

// Platforms that hold variables on one line (Railway included) often store a PEM with literal "\n".
const normalizePem = (pem: string) => pem.replace(/\\n/g, '\n');

function algorithmOfPublicKey(pem: string): JwtAlgorithm {
  const type = createPublicKey(pem).asymmetricKeyType;
  if (type === 'rsa') return 'RS256';
  if (type === 'ec') return 'ES256';
  throw new Error(`unsupported key type ${type ?? 'unknown'}`);
}

/** Whether the hop `hop` of a request's address chain (0: the peer, then X-Forwarded-For from the right) is ours. */
export type TrustedProxy = (address: string, hop: number) => boolean;

const MAX_PROXY_HOPS = 16;

/**
 * `TRUST_PROXY`, as Express and `proxy-addr` take it: how many proxies stand in front of the gateway, or
 * their addresses (CIDRs, or `loopback`, `linklocal`, `uniquelocal`). The client is the rightmost hop of
 * X-Forwarded-For that is not one of them; everything left of it is the client's to write. `true`, which
 * would take the leftmost hop, is refused.
 */
function trustedProxy(raw: string | undefined): TrustedProxy {
  if (raw === undefined || raw === 'false') return () => false;
  if (raw === 'true') {
    throw new Error(
      '"true" would let any client write its own address: give the number of proxies in front of the gateway (1 on Railway) or their addresses',
    );
  }
  if (/^\d+$/.test(raw)) {
    const hops = Number(raw);
    if (hops > MAX_PROXY_HOPS) throw new Error(`at most ${MAX_PROXY_HOPS} proxies, got ${raw}`);
    return (_address, hop) => hop < hops;
  }
  const problem = 'must be false, a number of proxies, or their addresses and CIDRs separated by commas';
  const addresses = raw.split(',').map((item) => item.trim());
  if (addresses.includes('')) throw new Error(`${problem}, got "${raw}"`);
  try {
    return proxyAddr.compile(addresses);
  } catch (error) {
    throw new Error(`${problem} (${(error as Error).message})`);
  }
}

/** Address blocks (CIDR), comma-separated. */
const addressBlocks =
  (fallback: readonly string[]): Field<readonly string[]> =>
  (raw) => {
    const blocks = env.list(fallback)(raw);
    if (blocks.length === 0) throw new Error('must name at least one address block');
    for (const block of blocks) parseCidr(block);
    return blocks;
  };

// RFC 1123 host names: dot-separated labels of letters, digits and inner hyphens.
const HOST_NAME = /^(?=.{1,253}$)[a-z\d](?:[a-z\d-]{0,61}[a-z\d])?(?:\.[a-z\d](?:[a-z\d-]{0,61}[a-z\d])?)*$/i;

/** Where to listen: an IP address or a host name (whether this machine has it is tried at start). */
const listenHost: Field<string> = (raw) => {
  const host = raw ?? '0.0.0.0';
  if (isIP(host) === 0 && !HOST_NAME.test(host)) throw new Error(`must be an IP address or a host name, got "${host}"`);
  return host;
};

// What a browser sends as `Origin`, and what CORS compares it with, byte for byte: scheme, host, port.
function checkOrigin(item: string): void {
  if (item === '*') return;
  const url = URL.parse(item);
  if (url === null || !['http:', 'https:'].includes(url.protocol) || url.origin !== item) {
    throw new Error(`"${item}" is not an origin (scheme://host[:port], e.g. https://dashboard.example.com)`);
  }
}

const corsOrigins: Field<readonly string[]> = (raw) => {
  const origins = env.list(['*'], checkOrigin)(raw);
  if (origins.length > 1 && origins.includes('*')) throw new Error('"*" allows every origin: give it alone');
  return origins;
};

// RFC 7518 §3.2 bounds an HS256 key (the runtime's `secretProblem`); the metrics token gets the same.
const optionalSecret = env.secret();

/** Unset, true or false: unset lets another setting decide. */
const optionalBoolean: Field<boolean | undefined> = (raw) => (raw === undefined ? undefined : env.boolean(false)(raw));

const spec = {
  PORT: env.integer(3000, 0, 65535),
  HOST: listenHost,
  INTERNAL_URL: env.optionalString(),
  INTERNAL_NETWORK: addressBlocks(PRIVATE_NETWORK),
  PEER_TIMEOUT_MS: env.integer(5000, 100, 120_000),
  REDIS_URL: env.url('redis://127.0.0.1:6379', ['redis:', 'rediss:']),
  REDIS_KEY_PREFIX: env.string(DEFAULT_REDIS_KEY_PREFIX),
  DATABASE_URL: env.url('postgres://postgres@127.0.0.1:5432/postgres', ['postgres:', 'postgresql:']),
  JWT_SECRET: env.optionalString(),
  JWT_PUBLIC_KEY: env.optionalString(),
  JWT_ISSUER: env.optionalString(),
  JWT_AUDIENCE: env.optionalString(),
  WHATSAPP_APP_SECRET: env.requiredString(),
  WHATSAPP_VERIFY_TOKEN: env.requiredString(),
  CORS_ORIGINS: corsOrigins,
  LOG_LEVEL: env.oneOf(LOG_LEVELS, 'info'),
  LOG_PRETTY: logPrettyField,
  SOCKET_MAX_PAYLOAD_BYTES: env.integer(64 * 1024, 1024, 16 * 1024 * 1024),
  RECOVERY_WINDOW_MS: env.integer(DEFAULT_RECOVERY_WINDOW_MS, 1000, 24 * 3600 * 1000),
  ROOMS_KEPT_MS: env.integer(12 * 3600 * 1000, 0, 7 * 24 * 3600 * 1000),
  STATS_CACHE_MS: env.integer(1000, 0, 600_000),
  DASHBOARD_STATS_HOLD_MS: env.integer(250, 0, 5000),
  SOCKET_IO_EMITTER_KEY: env.string('socket.io'),
  SOCKET_EVENTS_PER_SECOND: env.integer(20, 1, 100_000),
  SOCKET_EVENT_BURST: env.integer(100, 1, 100_000),
  SOCKET_EVENTS_RUNNING: env.integer(2, 1, 100),
  SOCKET_EVENTS_WAITING: env.integer(32, 0, 10_000),
  CONNECTIONS_PER_ADDRESS_PER_MINUTE: env.integer(600, 1, 1_000_000),
  TRUST_PROXY: trustedProxy,
  REQUEST_TIMEOUT_MS: env.integer(10_000, 1000, 600_000),
  STARTUP_TIMEOUT_MS: env.integer(10_000, 500, 600_000),
  DRAIN_DELAY_MS: env.integer(2000, 0, 600_000),
  SHUTDOWN_TIMEOUT_MS: env.integer(15_000, 1000, 600_000),
  METRICS_TOKEN: optionalSecret,
  LOGIN_ENABLED: optionalBoolean,
  ACCESS_TOKEN_TTL_S: env.integer(12 * 3600, 60, 7 * 24 * 3600),
  REFRESH_TOKEN_TTL_S: env.integer(7 * 24 * 3600, 60, 90 * 24 * 3600),
  LOGIN_ATTEMPTS_PER_USERNAME: env.integer(10, 1, 10_000),
  LOGIN_ATTEMPTS_PER_ADDRESS: env.integer(100, 1, 1_000_000),
  LOGIN_ATTEMPT_WINDOW_S: env.integer(900, 1, 24 * 3600),
  LOGIN_SLOW_AFTER: env.integer(4, 0, 10_000),
  LOGIN_SLOW_MS: env.integer(1000, 0, 60_000),
  WHATSAPP_ACCESS_TOKEN: env.optionalString(),
  WHATSAPP_API_BASE_URL: env.url('https://graph.facebook.com/v21.0', ['https:', 'http:']),
  WHATSAPP_TIMEOUT_MS: env.integer(10_000, 100, 120_000),
  WHATSAPP_NUMBERS: parseWhatsAppNumbers,
  WHATSAPP_BUSINESS_ACCOUNTS: parseBusinessAccounts,
  TEMPLATES_CACHE_S: env.integer(300, 1, 24 * 3600),
  TEMPLATES_KEPT_S: env.integer(7 * 24 * 3600, 60, 90 * 24 * 3600),
  // WhatsApp's own largest media: documents, 100 MB.
  MEDIA_MAX_BYTES: env.integer(100 * 1024 * 1024, 1024, 2 * 1024 * 1024 * 1024),
  ...MEDIA_LINK_VARIABLES,
  SERVICE_TOKENS: env.secrets(),
  DOCS_ENABLED: env.boolean(false),
  REPLY_REPEAT_MS: env.integer(5000, 0, 60_000),
  PRESENCE_GRACE_MS: env.integer(30_000, 0, 24 * 3600 * 1000),
  PRESENCE_LEASE_MS: env.integer(10_000, 300, 600_000),
  NODE_ENV: env.optionalString(),
  DEV_CONSOLE: optionalBoolean,
  ADMIN_UI_ENABLED: env.boolean(false),
  QUEUE_UI_ENABLED: env.boolean(false),
};

function checkJwtKey(values: { JWT_SECRET: string | undefined; JWT_PUBLIC_KEY: string | undefined }): string[] {
  const { JWT_SECRET: secret, JWT_PUBLIC_KEY: publicKey } = values;
  if (secret === undefined && publicKey === undefined) {
    return ['JWT_SECRET or JWT_PUBLIC_KEY: one is required (HS256 secret, or RS256/ES256 public key)'];
  }
  if (secret !== undefined && publicKey !== undefined) {
    return ['JWT_SECRET and JWT_PUBLIC_KEY: set only one, so the accepted algorithm is unambiguous'];
  }
  if (secret !== undefined) {
    const problem = secretProblem(secret);
    return problem === null ? [] : [`JWT_SECRET: ${problem}; RFC 7518 §3.2 requires it of an HS256 key`];
  }
  if (publicKey !== undefined) {
    try {
      algorithmOfPublicKey(normalizePem(publicKey));
    } catch (error) {
      return [`JWT_PUBLIC_KEY: not a usable RSA or EC public key in PEM form (${(error as Error).message})`];
    }
  }
  return [];
}

/** Tokens from an outside issuer are checked with its public key: this tier has no key to sign its own. */
function checkLogin(values: { LOGIN_ENABLED: boolean | undefined; JWT_PUBLIC_KEY: string | undefined }): string[] {
  return values.LOGIN_ENABLED === true && values.JWT_PUBLIC_KEY !== undefined
    ? ['LOGIN_ENABLED: cannot be true with JWT_PUBLIC_KEY: the tier signs its tokens with JWT_SECRET']
    : [];
}

/** Peers refuse to forward to a URL outside the network: the node that has it stops instead. */
function checkInternalUrl(values: {
  INTERNAL_URL: string | undefined;
  INTERNAL_NETWORK: readonly string[] | undefined;
}): string[] {
  if (values.INTERNAL_URL === undefined) return [];
  // A bad INTERNAL_NETWORK is named on its own; the URL's form can still be checked.
  const network = new InternalNetwork(values.INTERNAL_NETWORK ?? ['0.0.0.0/0', '::/0']);
  const checked = network.originOf(values.INTERNAL_URL);
  return 'refused' in checked ? [`INTERNAL_URL: "${values.INTERNAL_URL}" cannot be used: ${checked.refused}`] : [];
}

/** A type with a business number needs its account (for its templates); an account without a number is a slip. */
function checkBusinessAccounts(values: {
  WHATSAPP_NUMBERS: ReadonlyMap<string, CustomerType> | undefined;
  WHATSAPP_BUSINESS_ACCOUNTS: Readonly<Partial<Record<CustomerType, string>>> | undefined;
}): string[] {
  const { WHATSAPP_NUMBERS: numbers, WHATSAPP_BUSINESS_ACCOUNTS: accounts } = values;
  if (numbers === undefined || accounts === undefined) return [];
  const numbered = new Set(numbers.values());
  const missing = CUSTOMER_TYPES.filter((type) => numbered.has(type) && accounts[type] === undefined);
  const extra = CUSTOMER_TYPES.filter((type) => !numbered.has(type) && accounts[type] !== undefined);
  return [
    ...(missing.length === 0
      ? []
      : [`WHATSAPP_BUSINESS_ACCOUNTS: no account for ${missing.join(', ')}, which WHATSAPP_NUMBERS gives a number`]),
    ...(extra.length === 0
      ? []
      : [`WHATSAPP_BUSINESS_ACCOUNTS: an account for ${extra.join(', ')}, which WHATSAPP_NUMBERS gives no number`]),
  ];
}

/** The business number and account of each type that has them. */
function businessNumbers(values: {
  WHATSAPP_NUMBERS: ReadonlyMap<string, CustomerType>;
  WHATSAPP_BUSINESS_ACCOUNTS: Readonly<Partial<Record<CustomerType, string>>>;
}): Readonly<Partial<Record<CustomerType, BusinessNumber>>> {
  const numbers: Partial<Record<CustomerType, BusinessNumber>> = {};
  for (const [phoneNumberId, type] of values.WHATSAPP_NUMBERS) {
    const businessAccountId = values.WHATSAPP_BUSINESS_ACCOUNTS[type] ?? '';
    numbers[type] = Object.freeze({ phoneNumberId, businessAccountId });
  }
  return Object.freeze(numbers);
}

export interface BusinessNumber {
  /** Where media is uploaded (and messages sent from). */
  phoneNumberId: string;
  /** Whose message templates the number may send. */
  businessAccountId: string;
}

/** Every variable the gateway reads, for the README's table to be checked against. */
export const GATEWAY_VARIABLES = Object.keys(spec);

export function loadConfig(source: EnvSource) {
  const raw = parseEnv(source, spec, (values) => [
    ...checkJwtKey(values),
    ...checkInternalUrl(values),
    ...checkLogin(values),
    ...mediaLinkProblems(values),
    ...checkBusinessAccounts(values),
  ]);
  const mediaSigner = mediaSignerOf(raw);
  const publicKey = raw.JWT_PUBLIC_KEY === undefined ? undefined : normalizePem(raw.JWT_PUBLIC_KEY);
  const jwt: JwtConfig = {
    key: publicKey ?? raw.JWT_SECRET ?? '',
    algorithm: publicKey === undefined ? 'HS256' : algorithmOfPublicKey(publicKey),
    issuer: raw.JWT_ISSUER,
    audience: raw.JWT_AUDIENCE,
  };
  return Object.freeze({
    port: raw.PORT,
    host: raw.HOST,
    internalUrl: raw.INTERNAL_URL,
    internalNetwork: raw.INTERNAL_NETWORK,
    peerTimeoutMs: raw.PEER_TIMEOUT_MS,
    redisUrl: raw.REDIS_URL,
    redisKeyPrefix: raw.REDIS_KEY_PREFIX,
    databaseUrl: raw.DATABASE_URL,
    jwt: Object.freeze(jwt),
    whatsapp: Object.freeze({ appSecret: raw.WHATSAPP_APP_SECRET, verifyToken: raw.WHATSAPP_VERIFY_TOKEN }),
    corsOrigins: raw.CORS_ORIGINS,
    logLevel: raw.LOG_LEVEL,
    logPretty: raw.LOG_PRETTY,
    socketMaxPayloadBytes: raw.SOCKET_MAX_PAYLOAD_BYTES,
    recoveryWindowMs: raw.RECOVERY_WINDOW_MS,
    roomsKeptMs: raw.ROOMS_KEPT_MS,
    statsCacheMs: raw.STATS_CACHE_MS,
    dashboardStatsHoldMs: raw.DASHBOARD_STATS_HOLD_MS,
    // `off`: packets of stock @socket.io/redis-emitters are not taken.
    socketIoEmitterKey: raw.SOCKET_IO_EMITTER_KEY === 'off' ? null : raw.SOCKET_IO_EMITTER_KEY,
    limits: Object.freeze({
      eventsPerSecond: raw.SOCKET_EVENTS_PER_SECOND,
      eventBurst: raw.SOCKET_EVENT_BURST,
      eventsRunning: raw.SOCKET_EVENTS_RUNNING,
      eventsWaiting: raw.SOCKET_EVENTS_WAITING,
      connectionsPerAddressPerMinute: raw.CONNECTIONS_PER_ADDRESS_PER_MINUTE,
    }),
    presence: Object.freeze({ graceMs: raw.PRESENCE_GRACE_MS, leaseMs: raw.PRESENCE_LEASE_MS }),
    trustProxy: raw.TRUST_PROXY,
    requestTimeoutMs: raw.REQUEST_TIMEOUT_MS,
    startupTimeoutMs: raw.STARTUP_TIMEOUT_MS,
    drainDelayMs: raw.DRAIN_DELAY_MS,
    shutdownTimeoutMs: raw.SHUTDOWN_TIMEOUT_MS,
    // Unset: no /metrics route at all.
    metricsToken: raw.METRICS_TOKEN,
    docsEnabled: raw.DOCS_ENABLED,
    adminUiEnabled: raw.ADMIN_UI_ENABLED,
    queueUiEnabled: raw.QUEUE_UI_ENABLED,
    login: Object.freeze({
      enabled: raw.LOGIN_ENABLED ?? raw.JWT_PUBLIC_KEY === undefined,
      accessTtlS: raw.ACCESS_TOKEN_TTL_S,
      refreshTtlS: raw.REFRESH_TOKEN_TTL_S,
      perUsername: raw.LOGIN_ATTEMPTS_PER_USERNAME,
      perAddress: raw.LOGIN_ATTEMPTS_PER_ADDRESS,
      windowS: raw.LOGIN_ATTEMPT_WINDOW_S,
      slowAfter: raw.LOGIN_SLOW_AFTER,
      slowMs: raw.LOGIN_SLOW_MS,
    }),
    graph: Object.freeze({
      // Unset: media downloads are answered 503, saying so.
      accessToken: raw.WHATSAPP_ACCESS_TOKEN,
      // Paths are appended with their own slash.
      baseUrl: raw.WHATSAPP_API_BASE_URL.replace(/\/+$/, ''),
      timeoutMs: raw.WHATSAPP_TIMEOUT_MS,
      // A type without one has no templates and takes no uploads, and says so.
      numbers: businessNumbers(raw),
    }),
    templates: Object.freeze({ freshMs: raw.TEMPLATES_CACHE_S * 1000, keptMs: raw.TEMPLATES_KEPT_S * 1000 }),
    media: Object.freeze({
      maxBytes: raw.MEDIA_MAX_BYTES,
      // Unset (no PUBLIC_URL and MEDIA_URL_SECRET): messages carry no links, and /api/media/* is absent.
      signer: mediaSigner,
      url: signedMediaUrl(mediaSigner),
      // The origin of this tier's own media links, which a media reply may name.
      publicUrl: raw.PUBLIC_URL,
    }),
    // Unset: the routes other company systems write through are absent.
    serviceTokens: raw.SERVICE_TOKENS,
    // The same reply from the same executive again within this long is a double click, stored and sent once.
    replyRepeatMs: raw.REPLY_REPEAT_MS,
    // The console page (and the Socket.IO client it loads): for development, so off in production unless asked.
    devConsole: raw.DEV_CONSOLE ?? raw.NODE_ENV !== 'production',
  });
}

export type GatewayConfig = ReturnType<typeof loadConfig>;
export type LoginConfig = GatewayConfig['login'];
