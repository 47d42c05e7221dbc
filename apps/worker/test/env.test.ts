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

  it('takes SLA thresholds in minutes, fractions too, in order and once each; 3 and 10 by default', () => {
    expect(loadConfig({}).slaMinutes).toEqual([3, 10]);
    expect(loadConfig({ SLA_ALERT_MINUTES: '10, 0.5,3,10' }).slaMinutes).toEqual([0.5, 3, 10]);
  });

  it.each(['0', '-3', 'three', '3,,10', '1441', '1e2'])('names SLA_ALERT_MINUTES when it is %s', (value) => {
    const problems = problemsOf({ SLA_ALERT_MINUTES: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^SLA_ALERT_MINUTES: /);
  });

  it('names a bad DEFAULT_CUSTOMER_TYPE', () => {
    expect(problemsOf({ DEFAULT_CUSTOMER_TYPE: 'Driver' })).toEqual([
      'DEFAULT_CUSTOMER_TYPE: must be one of: Partner, Customer, Vendor, SRDP',
    ]);
  });
});

describe('media links', () => {
  const secret = 'm'.repeat(32);

  it('are made with PUBLIC_URL and MEDIA_URL_SECRET, and not without', () => {
    const url = loadConfig({ PUBLIC_URL: 'https://chat.example.com', MEDIA_URL_SECRET: secret }).mediaUrl('123');
    expect(url).toMatch(/^https:\/\/chat\.example\.com\/api\/media\/123\?exp=\d+&sig=[\w-]{43}$/);
    expect(loadConfig({}).mediaUrl('123')).toBeNull();
  });

  it('refuse one of the two without the other, a short secret and an origin with a path', () => {
    expect(problemsOf({ PUBLIC_URL: 'https://chat.example.com' })).toEqual([
      'PUBLIC_URL and MEDIA_URL_SECRET: set both (signed media links) or neither',
    ]);
    expect(problemsOf({ PUBLIC_URL: 'https://chat.example.com', MEDIA_URL_SECRET: 'short' })[0]).toBe(
      'MEDIA_URL_SECRET: must be at least 32 bytes, got 5 (openssl rand -base64 32 makes one)',
    );
    expect(problemsOf({ PUBLIC_URL: 'https://chat.example.com/app', MEDIA_URL_SECRET: secret })[0]).toContain(
      'PUBLIC_URL: must be an origin',
    );
  });
});
