import { ConfigError } from '@care-chat/runtime';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/env.js';

const problemsOf = (source: Record<string, string>) => {
  try {
    loadConfig(source);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
};

describe('worker configuration', () => {
  it('maps each business number to the customer type it serves', () => {
    const config = loadConfig({ WHATSAPP_NUMBERS: '{"Partner":"1001","SRDP":"1004"}' });
    expect([...config.customerTypeByNumber]).toEqual([
      ['1001', 'Partner'],
      ['1004', 'SRDP'],
    ]);
    expect(config.defaultCustomerType).toBe('Customer');
  });

  it.each([
    ['not JSON', '{Partner:1}', 'must be JSON'],
    ['an array', '["1001"]', 'must be a JSON object'],
    ['an unknown type', '{"Driver":"1001"}', 'unknown customer type "Driver"'],
    ['a number that is not digits', '{"Partner":1001}', 'must be a string of digits'],
    ['a number given twice', '{"Partner":"1001","Vendor":"1001"}', 'given to two customer types'],
  ])('names WHATSAPP_NUMBERS when it is %s', (_name, value, problem) => {
    const problems = problemsOf({ WHATSAPP_NUMBERS: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('WHATSAPP_NUMBERS: ');
    expect(problems[0]).toContain(problem);
  });

  it('names a bad DEFAULT_CUSTOMER_TYPE', () => {
    expect(problemsOf({ DEFAULT_CUSTOMER_TYPE: 'Driver' })).toEqual([
      'DEFAULT_CUSTOMER_TYPE: must be one of: Partner, Customer, Vendor, SRDP',
    ]);
  });
});
