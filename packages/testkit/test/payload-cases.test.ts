import { ClientEvent, type ClientEventName, CUSTOMER_TYPES, clientValidators } from '@care-chat/contract';
import { describe, expect, it } from 'vitest';
import { malformedPayloads, validRequests } from '../src/payload-cases.js';

const events = Object.values(ClientEvent) as ClientEventName[];

describe.each(events)('%s data', (event) => {
  it('accepts the well-formed example and returns only the known fields', () => {
    const result = clientValidators[event]({ ...validRequests[event], extra: 'ignored' });
    expect(result).toEqual({ ok: true, value: validRequests[event] });
  });

  it('refuses at least 20 malformed shapes, each with a message', () => {
    const cases = malformedPayloads(event);
    expect(cases.length).toBeGreaterThanOrEqual(20);
    for (const { name, data } of cases) {
      const result = clientValidators[event](data);
      expect(result.ok, `${event} accepted ${name}`).toBe(false);
      if (!result.ok) expect(result.message.length).toBeGreaterThan(0);
    }
  });
});

it('has a validator for every customer type field value', () => {
  for (const type of CUSTOMER_TYPES) {
    expect(clientValidators.fetch_all_chats({ ...validRequests.fetch_all_chats, customer_type: type }).ok).toBe(true);
  }
  expect(clientValidators.fetch_all_chats({ ...validRequests.fetch_all_chats, customer_type: 'Driver' }).ok).toBe(
    false,
  );
});
