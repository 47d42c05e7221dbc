import { createSigner } from 'fast-jwt';

/** The HS256 secret every test gateway is started with. */
export const TEST_JWT_SECRET = 'test-only-secret-never-used-outside-tests-0123456789';

/** The token every test gateway's `/metrics` asks for (METRICS_TOKEN). */
export const TEST_METRICS_TOKEN = 'test-only-metrics-token-never-used-outside-tests';

type Algorithm = 'HS256' | 'RS256' | 'ES256';

export interface SignOptions {
  key?: string;
  algorithm?: Algorithm;
  /** Seconds from now until `exp`; negative for an expired token; null for no `exp` at all. */
  expiresInS?: number | null;
}

/** A token shaped like the ones the dashboard's login issues, with `claims` laid over the defaults. */
export function signToken(claims: Record<string, unknown> = {}, options: SignOptions = {}): string {
  const { key = TEST_JWT_SECRET, algorithm = 'HS256', expiresInS = 3600 } = options;
  const exp = expiresInS === null ? {} : { exp: Math.floor(Date.now() / 1000) + expiresInS };
  return createSigner({ key, algorithm })({
    sub: 'agent_test',
    role: 'executive',
    agent_number: '919800000001',
    admin_id: 'admin_001',
    login_from: 'web_dashboard',
    ...exp,
    ...claims,
  });
}

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** An unsigned token (`alg: none`), which no deployment may accept. */
export function unsignedToken(claims: Record<string, unknown> = {}): string {
  const payload = { sub: 'agent_test', exp: Math.floor(Date.now() / 1000) + 3600, ...claims };
  return `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(payload)}.`;
}
