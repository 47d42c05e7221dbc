// RFC 7617: the scheme is case-insensitive, the credentials one base64 token.
const BASIC = /^Basic\s+([A-Za-z0-9+/]+={0,2})$/i;

export interface BasicCredentials {
  username: string;
  password: string;
}

/**
 * The credentials of an `Authorization: Basic <base64(user:password)>` header, or undefined. The user-id
 * ends at the first colon (it may hold none); the password may hold any.
 */
export function basicCredentials(header: string | undefined): BasicCredentials | undefined {
  const encoded = header === undefined ? undefined : BASIC.exec(header)?.[1];
  if (encoded === undefined) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 1) return undefined;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
