import { ConfigError } from '@care-chat/runtime';
import { TEST_APP_SECRET, TEST_JWT_SECRET, TEST_VERIFY_TOKEN } from '@care-chat/testkit';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/env.js';

const required = {
  JWT_SECRET: TEST_JWT_SECRET,
  WHATSAPP_APP_SECRET: TEST_APP_SECRET,
  WHATSAPP_VERIFY_TOKEN: TEST_VERIFY_TOKEN,
};

const trustOf = (value: string | undefined) => loadConfig({ ...required, TRUST_PROXY: value }).trustProxy;

const problemOf = (value: string) => {
  try {
    loadConfig({ ...required, TRUST_PROXY: value });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.join('; ');
    throw error;
  }
  throw new Error(`TRUST_PROXY=${value} was accepted`);
};

describe('TRUST_PROXY', () => {
  it('trusts no proxy by default, or when false', () => {
    for (const value of [undefined, 'false', '0']) expect(trustOf(value)('127.0.0.1', 0)).toBe(false);
  });

  it('takes a number of proxies: that many hops from the right are theirs', () => {
    const trust = trustOf('2');
    expect([0, 1, 2].map((hop) => trust('203.0.113.1', hop))).toEqual([true, true, false]);
  });

  it('takes the proxies’ addresses: CIDRs, single addresses and proxy-addr’s names', () => {
    const trust = trustOf('loopback, 10.0.0.0/8, 2001:db8::1');
    expect(['127.0.0.1', '10.9.8.7', '2001:db8::1', '::1'].map((address) => trust(address, 0))).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(trust('203.0.113.1', 0)).toBe(false);
  });

  it.each([
    ['true', 'would let any client write its own address'],
    ['yes', 'must be false, a number of proxies, or their addresses'],
    ['10.0.0.0/33', 'must be false, a number of proxies, or their addresses'],
    ['10.0.0.1,,', 'must be false, a number of proxies, or their addresses'],
    ['17', 'at most 16 proxies'],
  ])('refuses %s, naming the variable', (value, problem) => {
    expect(problemOf(value)).toMatch(new RegExp(`^TRUST_PROXY: .*${problem}`));
  });
});
