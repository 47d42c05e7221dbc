import { randomBytes } from 'node:crypto';
import type { FakeResponse } from './router.js';

export interface GraphError {
  message: string;
  type: string;
  code: number;
  error_subcode?: number;
  error_data?: { messaging_product?: string; details: string };
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
  /** A free-form message outside the customer-service window. */
  reEngagement: {
    message: '(#131047) Re-engagement message',
    type: 'OAuthException',
    code: 131047,
    error_data: {
      messaging_product: 'whatsapp',
      details:
        'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
    },
  },
  invalidParameter: {
    message: '(#100) Invalid parameter',
    type: 'OAuthException',
    code: 100,
    error_data: { messaging_product: 'whatsapp', details: 'Parameter value is not valid' },
  },
  unavailable: {
    message: 'An unexpected error has occurred. Please retry your request later.',
    type: 'OAuthException',
    code: 2,
  },
} as const satisfies Record<string, GraphError | ((id: string) => GraphError)>;
