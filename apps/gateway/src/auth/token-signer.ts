import type { LoginExecutive } from '@care-chat/store';
import { createSigner } from 'fast-jwt';
import type { JwtConfig } from '../env.js';

export type TokenSigner = (executive: LoginExecutive, loginId: string, expiresAt: Date) => string;

/**
 * Signs access tokens with the HS256 secret, with the claims the verifier reads and the issuer and
 * audience it requires when they are configured. `exp` is given, not computed here, so the login's row
 * and its token agree on it to the second.
 */
export function createTokenSigner(config: JwtConfig): TokenSigner {
  const sign = createSigner({
    key: config.key,
    algorithm: 'HS256',
    ...(config.issuer === undefined ? {} : { iss: config.issuer }),
    ...(config.audience === undefined ? {} : { aud: config.audience }),
  });
  return (executive, loginId, expiresAt) =>
    sign({
      sub: executive.adminid,
      name: executive.name,
      role: executive.role,
      agent_number: executive.agentNumber,
      customer_types: executive.customerTypes,
      sid: loginId,
      exp: Math.floor(expiresAt.getTime() / 1000),
    });
}
