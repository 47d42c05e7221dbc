import { describe, expect, it } from 'vitest';
import { hashPassword, needsRehash, SCRYPT_PARAMETERS, verifyPassword } from '../src/index.js';

describe('password hashes', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const hash = await hashPassword('correct horse');
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{88}$/);
    expect(await verifyPassword('correct horse', hash)).toBe(true);
    expect(await verifyPassword('correct horsE', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
  });

  it('salts each hash: one password hashed twice gives two hashes, both verifying', async () => {
    const [a, b] = await Promise.all([hashPassword('same password'), hashPassword('same password')]);
    expect(a).not.toBe(b);
    expect(a.split('$')[4]).not.toBe(b.split('$')[4]);
    expect(await verifyPassword('same password', a)).toBe(true);
    expect(await verifyPassword('same password', b)).toBe(true);
  });

  it('refuses a tampered or malformed hash instead of throwing', async () => {
    const hash = await hashPassword('tamper me');
    const parts = hash.split('$');
    const flipped = Buffer.from(parts[5] ?? '', 'base64');
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    const tampered = [
      [...parts.slice(0, 5), flipped.toString('base64')].join('$'),
      [...parts.slice(0, 4), Buffer.alloc(16).toString('base64'), parts[5]].join('$'),
      ['scrypt', 16384, ...parts.slice(2)].join('$'),
      ['scrypt', 2 ** 30, ...parts.slice(2)].join('$'),
      ['bcrypt', ...parts.slice(1)].join('$'),
      parts.slice(0, 5).join('$'),
      '',
    ];
    for (const bad of tampered) expect(await verifyPassword('tamper me', bad), bad).toBe(false);
  });

  it('asks for a new hash when the parameters are not today’s', async () => {
    const hash = await hashPassword('old one');
    expect(needsRehash(hash)).toBe(false);
    const [, , ...rest] = hash.split('$');
    expect(needsRehash(['scrypt', SCRYPT_PARAMETERS.N / 2, ...rest].join('$'))).toBe(true);
    expect(needsRehash('garbage')).toBe(true);
  });
});
