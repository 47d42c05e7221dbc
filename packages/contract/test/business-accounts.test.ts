import { describe, expect, it } from 'vitest';
import { parseBusinessAccounts } from '../src/business-accounts.js';
import { templateContent } from '../src/templates.js';

describe('parseBusinessAccounts', () => {
  it('maps each customer type to its account, one account for several types allowed', () => {
    expect(parseBusinessAccounts('{"Partner":"2001","Vendor":"2001"}')).toEqual({ Partner: '2001', Vendor: '2001' });
    expect(parseBusinessAccounts(undefined)).toEqual({});
  });

  it.each([
    ['not JSON', '{Partner:1}', 'must be JSON'],
    ['an array', '["2001"]', 'JSON object'],
    ['an unknown type', '{"Driver":"2001"}', 'unknown customer type "Driver"'],
    ['a number', '{"Partner":2001}', 'of Partner must be a string of digits'],
    ['letters', '{"Partner":"waba-1"}', 'of Partner must be a string of digits'],
  ])('says what is wrong with %s', (_name, raw, problem) => {
    expect(() => parseBusinessAccounts(raw)).toThrow(problem);
  });
});

describe('templateContent', () => {
  it('is the body’s text, else the header’s, else the name', () => {
    const body = { type: 'BODY', text: 'Hi {{1}}, your cab is here.' };
    expect(templateContent([{ type: 'HEADER', format: 'TEXT', text: 'Cab' }, body], 'arrived')).toBe(body.text);
    expect(templateContent([{ type: 'HEADER', format: 'TEXT', text: 'Cab' }], 'arrived')).toBe('Cab');
    expect(templateContent([{ type: 'BODY', text: ' ' }], 'arrived')).toBe('arrived');
  });
});
