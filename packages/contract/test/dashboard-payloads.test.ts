import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type ClientEventName, clientValidators } from '../src/index.js';

interface Variant {
  id: string;
  payload: unknown;
}
// The dashboard's own traffic, as recorded from its source (the testkit keeps the fixtures).
const recorded = JSON.parse(
  readFileSync(new URL('../../testkit/fixtures/dashboard/client-events.json', import.meta.url), 'utf8'),
) as { events: Record<string, { variants: Variant[] }> };

const variants = Object.entries(recorded.events).flatMap(([event, { variants }]) =>
  variants.map((variant) => ({ event: event as ClientEventName, ...variant })),
);

describe('every payload the dashboard sends', () => {
  it.each(variants)('is accepted: $id', ({ event, payload }) => {
    expect(Object.hasOwn(clientValidators, event)).toBe(true);
    expect(clientValidators[event](payload)).toMatchObject({ ok: true });
  });
});

describe('null and extra fields', () => {
  it('take an optional field sent as null for one left out', () => {
    expect(clientValidators.join_chat({ chat_id: '5', type: null })).toEqual({ ok: true, value: { chat_id: '5' } });
    expect(
      clientValidators.fetch_all_chats({ sender: null, status: 'pending', customer_type: null, page: null }),
    ).toEqual({ ok: true, value: { status: 'pending' } });
  });

  it('refuse a required field sent as null', () => {
    expect(clientValidators.fetch_chats_by_user({ chat_id: null })).toEqual({
      ok: false,
      message: 'chat_id is required',
    });
  });

  it('drop what the caller says about itself and other unknown fields', () => {
    expect(
      clientValidators.search_chat({ sender: '919876543210', customer: '9812345678', customer_type: 'Partner' }),
    ).toEqual({ ok: true, value: { customer: '9812345678', customer_type: 'Partner' } });
    expect(
      clientValidators.update_chat_status({
        chat_id: '5',
        customer_number: '919812345678',
        update_by_number: null,
        status: 'pending',
      }),
    ).toEqual({ ok: true, value: { chat_id: '5', customer_number: '919812345678', status: 'pending' } });
  });

  it('read the Partner page’s user_status and executive statuses in any case', () => {
    expect(clientValidators.fetch_all_chats({ user_status: 'InJourney' }).ok).toBe(true);
    expect(clientValidators.fetch_all_chats({ user_status: 'Sleeping' }).ok).toBe(false);
    expect(clientValidators.set_executive_status({ status: 'online' })).toEqual({
      ok: true,
      value: { status: 'ONLINE' },
    });
  });
});
