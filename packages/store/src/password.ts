import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

/** scrypt's cost: 128 × N × r bytes = 32 MiB of memory per hash, which is what makes guessing on GPUs dear. */
export const SCRYPT_PARAMETERS = { N: 2 ** 15, r: 8, p: 1 } as const;
const KEY_LENGTH = 64;
const SALT_BYTES = 16;

interface Encoded {
  N: number;
  r: number;
  p: number;
  salt: Buffer;
  hash: Buffer;
}

function derive(password: string, salt: Buffer, { N, r, p }: { N: number; r: number; p: number }, keylen: number) {
  // Node refuses more than 32 MiB by default, which is exactly what N=2^15, r=8 needs: allow twice that.
  const options: ScryptOptions = { N, r, p, maxmem: 2 * 128 * N * r + 1024 * 1024 };
  return new Promise<Buffer>((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, keylen, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

/** `scrypt$N$r$p$salt$hash`, salt and hash in base64: each hash carries the parameters it was made with. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const hash = await derive(password, salt, SCRYPT_PARAMETERS, KEY_LENGTH);
  const { N, r, p } = SCRYPT_PARAMETERS;
  return ['scrypt', N, r, p, salt.toString('base64'), hash.toString('base64')].join('$');
}

const POSITIVE = /^[1-9]\d{0,9}$/;

function decode(encoded: string): Encoded | undefined {
  const parts = encoded.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return undefined;
  const [, n, r, p, salt, hash] = parts as [string, string, string, string, string, string];
  if (![n, r, p].every((value) => POSITIVE.test(value))) return undefined;
  const decoded = {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    salt: Buffer.from(salt, 'base64'),
    hash: Buffer.from(hash, 'base64'),
  };
  // A stored hash is ours, but a damaged one must fail closed rather than ask scrypt for absurd work.
  if (
    decoded.N > 2 ** 17 ||
    decoded.r > 16 ||
    decoded.p > 16 ||
    decoded.salt.length === 0 ||
    decoded.hash.length < 16
  ) {
    return undefined;
  }
  return decoded;
}

/** Whether `password` matches `encoded`; a malformed hash matches nothing. */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const decoded = decode(encoded);
  if (decoded === undefined) return false;
  const key = await derive(password, decoded.salt, decoded, decoded.hash.length);
  return timingSafeEqual(key, decoded.hash);
}

/** True when `encoded` was made with other parameters than today's: hash again at the next good login. */
export function needsRehash(encoded: string): boolean {
  const decoded = decode(encoded);
  const { N, r, p } = SCRYPT_PARAMETERS;
  return (
    decoded === undefined || decoded.N !== N || decoded.r !== r || decoded.p !== p || decoded.hash.length !== KEY_LENGTH
  );
}
