import { describe, expect, it } from 'vitest';
import { clientValidators, LIMITS, TYPE_ROOMS } from '../src/index.js';

describe('join_room', () => {
  it.each(TYPE_ROOMS)('accepts %s', (room) => {
    expect(clientValidators.join_room({ room })).toEqual({ ok: true, value: { room } });
  });

  it('answers an unknown room with "Invalid room: <room>"', () => {
    expect(clientValidators.join_room({ room: 'X' })).toEqual({ ok: false, message: 'Invalid room: X' });
    expect(clientValidators.join_room({ room: 'dashboard' })).toEqual({
      ok: false,
      message: 'Invalid room: dashboard',
    });
    expect(clientValidators.join_room({ room: 42 })).toEqual({ ok: false, message: 'Invalid room: 42' });
  });

  it('never echoes a long room name whole', () => {
    const result = clientValidators.join_room({ room: 'r'.repeat(10_000) });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message.length).toBeLessThan(100);
  });

  it('names a missing field', () => {
    expect(clientValidators.join_room({})).toEqual({ ok: false, message: 'room is required' });
  });
});

describe('object validation', () => {
  it('refuses prototype keys parsed from JSON', () => {
    expect(clientValidators.leave_chat(JSON.parse('{"chat_id":"1","__proto__":{"x":1}}'))).toEqual({
      ok: false,
      message: 'data must not have a field named __proto__',
    });
  });

  it('refuses objects that are not plain', () => {
    expect(clientValidators.leave_chat(new Date())).toEqual({ ok: false, message: 'data must be an object' });
    expect(clientValidators.leave_chat(Buffer.from('{}'))).toEqual({ ok: false, message: 'data must be an object' });
  });

  it('takes data-less events without data', () => {
    expect(clientValidators.get_dashboard_stats(undefined)).toEqual({ ok: true, value: {} });
    expect(clientValidators.fetch_all_chats(undefined)).toEqual({ ok: true, value: {} });
  });

  it('bounds text, ids and integers', () => {
    const send = { chat_id: 'c', sender: null, type: 'Agent' };
    expect(clientValidators.send_message({ ...send, message: 'm'.repeat(LIMITS.message) }).ok).toBe(true);
    expect(clientValidators.send_message({ ...send, message: 'm'.repeat(LIMITS.message + 1) }).ok).toBe(false);
    expect(clientValidators.send_message({ ...send, message: ' \n ' }).ok).toBe(false);
    expect(clientValidators.send_message({ ...send, message: ' a \n' })).toMatchObject({
      ok: true,
      value: { message: ' a \n' },
    });
    expect(clientValidators.join_chat({ chat_id: 'has space' }).ok).toBe(false);
    expect(clientValidators.fetch_all_chats({ page_size: LIMITS.pageSize + 1 }).ok).toBe(false);
    expect(clientValidators.fetch_all_chats({ page: 0 }).ok).toBe(false);
    expect(clientValidators.search_chat({ customer: '+91 98' }).ok).toBe(false);
  });
});

describe('text fields', () => {
  // PostgreSQL text cannot hold NUL: one in a filter failed the query, with an error-level log per event.
  it.each([
    ['search', { search: 'ab\u0000c' }],
    ['tag', { tag: '\u0000' }],
  ])('refuse NUL in fetch_all_chats %s', (field, data) => {
    expect(clientValidators.fetch_all_chats(data)).toEqual({
      ok: false,
      message: `${field} has characters that are not allowed`,
    });
  });

  it('refuse NUL and lone surrogates wherever text is taken', () => {
    const send = { chat_id: 'c', sender: null, type: 'Agent' };
    for (const message of ['a\u0000b', 'x\ud800y', '\udc00']) {
      expect(clientValidators.send_message({ ...send, message }).ok, JSON.stringify(message)).toBe(false);
    }
    expect(clientValidators.apply_tag({ chat_id: 'c', tag: 'a\u0000', action: 'add' }).ok).toBe(false);
    expect(clientValidators.add_note({ chat_id: 'c', content: 'a\u0000' }).ok).toBe(false);
    expect(clientValidators.send_message({ ...send, message: 'café 🚕 नमस्ते' }).ok).toBe(true);
  });
});
