import { CUSTOMER_TYPES, type Executive, isCustomerType, LIMITS } from '@care-chat/contract';
import { isLoginId } from '@care-chat/store';
import { createVerifier, TokenError } from 'fast-jwt';
import type { JwtConfig } from '../env.js';
import { AuthError, AuthErrorCode } from '../errors.js';

export type TokenVerifier = (token: string | undefined) => Executive;

export interface VerifierOptions {
  /** Whether `sid` names one of this tier's logins: only when this tier issues the tokens. */
  ownLogins: boolean;
  /** For logout, which must still find the login of a token past its exp. */
  ignoreExpiration?: boolean;
}

/**
 * Verifies a dashboard JWT and maps its claims to an Executive. The algorithm is pinned by the
 * configuration, so `alg: none` or an HS256 token signed with an RS256 deployment's public key fail.
 * Throws AuthError with the code the client sees.
 */
export function createTokenVerifier(config: JwtConfig, options: VerifierOptions): TokenVerifier {
  const verify = createVerifier({
    key: config.key,
    algorithms: [config.algorithm],
    // fast-jwt checks iss and aud only when present: configured ones must also be required.
    requiredClaims: [
      'sub',
      'exp',
      ...(config.issuer === undefined ? [] : ['iss']),
      ...(config.audience === undefined ? [] : ['aud']),
    ],
    ...(config.issuer === undefined ? {} : { allowedIss: config.issuer }),
    ...(config.audience === undefined ? {} : { allowedAud: config.audience }),
    // Reconnect storms present the same tokens again; a verified token is cached until it expires.
    cache: 10_000,
    ignoreExpiration: options.ignoreExpiration === true,
  });
  return (token) => {
    if (token === undefined) throw new AuthError(AuthErrorCode.MissingToken);
    let claims: Record<string, unknown>;
    try {
      claims = verify(token) as Record<string, unknown>;
    } catch (error) {
      const expired = error instanceof TokenError && error.code === TokenError.codes.expired;
      throw new AuthError(expired ? AuthErrorCode.TokenExpired : AuthErrorCode.InvalidToken);
    }
    return executiveOf(claims, options.ownLogins);
  };
}

function executiveOf(claims: Record<string, unknown>, ownLogins: boolean): Executive {
  const { sub, role, customer_types: customerTypes, agent_number: agentNumber, name, exp, sid } = claims;
  if (typeof sub !== 'string' || sub.length === 0 || sub.length > LIMITS.id) {
    throw new AuthError(AuthErrorCode.InvalidToken);
  }
  if (customerTypes !== undefined && !(Array.isArray(customerTypes) && customerTypes.every(isCustomerType))) {
    throw new AuthError(AuthErrorCode.InvalidToken);
  }
  // Signed with our secret yet naming no login of ours: nothing could ever revoke it.
  if (ownLogins && sid !== undefined && !(typeof sid === 'string' && isLoginId(sid))) {
    throw new AuthError(AuthErrorCode.InvalidToken);
  }
  return {
    id: sub,
    // Roles other than admin get the least privilege.
    role: role === 'admin' ? 'admin' : 'executive',
    customerTypes: customerTypes ?? CUSTOMER_TYPES,
    agentNumber: typeof agentNumber === 'string' || typeof agentNumber === 'number' ? String(agentNumber) : null,
    name: typeof name === 'string' && name.length > 0 ? name.slice(0, LIMITS.label) : null,
    expiresAt: typeof exp === 'number' ? exp : null,
    loginId: ownLogins && typeof sid === 'string' ? sid : null,
  };
}
