import { randomBytes } from 'node:crypto';
import type { FakeResponse } from './router.js';

export interface GraphError {
  message: string;
  type: string;
  code: number;
  error_subcode?: number;
}

/** An error as the Graph API answers it: `{ error: { message, type, code, error_subcode?, fbtrace_id } }`. */
export function graphError(status: number, error: GraphError, headers: Record<string, string> = {}): FakeResponse {
  return {
    status,
    headers: status === 401 ? { 'www-authenticate': 'OAuth "Facebook Platform" "invalid_token"', ...headers } : headers,
    body: { error: { ...error, fbtrace_id: randomBytes(8).toString('base64url') } },
  };
}

/** The errors the fake answers with unless a test programs another. */
export const GraphErrors = {
  invalidToken: {
    message: 'Invalid OAuth access token - Cannot parse access token',
    type: 'OAuthException',
    code: 190,
  },
  unknownObject: (id: string): GraphError => ({
    message: `Unsupported get request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
    type: 'GraphMethodException',
    code: 100,
    error_subcode: 33,
  }),
  rateLimited: { message: '(#130429) Rate limit hit', type: 'OAuthException', code: 130429 },
  unavailable: {
    message: 'An unexpected error has occurred. Please retry your request later.',
    type: 'OAuthException',
    code: 2,
  },
} as const satisfies Record<string, GraphError | ((id: string) => GraphError)>;
