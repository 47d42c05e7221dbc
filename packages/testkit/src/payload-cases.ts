import { type ClientEventName, type ClientRequests, LIMITS } from '@care-chat/contract';

/** A well-formed example of every client event's data. */
export const validRequests: { [E in ClientEventName]: ClientRequests[E] } = {
  join_room: { room: 'PartnerApp' },
  leave_room: { room: 'PartnerApp' },
  join_chat: { chat_id: 'chat-1', type: 'Agent' },
  join_chat_customer: { chat_id: 'chat-1', type: 'Customer', customer_type: 'Partner' },
  leave_chat: { chat_id: 'chat-1' },
  get_dashboard_stats: {},
  fetch_all_chats: {
    status: 'active',
    customer_type: 'Vendor',
    search: 'Rahul',
    page: 1,
    page_size: 10,
  },
  fetch_chats_by_user: { chat_id: 'chat-1', page: 2, page_size: 20 },
  search_chat: { customer: '9876543210', customer_type: 'Partner' },
  config: { sender: '919876543210', customer_type: 'Partner' },
  send_message: { chat_id: 'chat-1', type: 'Agent', message: 'Hello', customer_type: 'SRDP' },
  update_chat_status: { chat_id: 'chat-1', customer_number: '919876543210', status: 'resolved' },
  apply_tag: { chat_id: 'chat-1', tag: 'Payment Issue', action: 'add' },
  set_executive_status: { status: 'ONLINE' },
  reassign_chat: { chat_id: 'chat-1', executive_id: 'agent_2' },
  add_note: { chat_id: 'chat-1', content: 'Called the customer back' },
  typing: { chat_id: 'chat-1' },
};

/** Fields whose absence must be refused (the others are optional). */
const requiredFields: { [E in ClientEventName]: readonly string[] } = {
  join_room: ['room'],
  leave_room: ['room'],
  join_chat: ['chat_id'],
  join_chat_customer: ['chat_id'],
  leave_chat: ['chat_id'],
  get_dashboard_stats: [],
  fetch_all_chats: [],
  fetch_chats_by_user: ['chat_id'],
  search_chat: ['customer'],
  config: ['sender'],
  send_message: ['chat_id', 'message'],
  update_chat_status: ['customer_number', 'status'],
  apply_tag: ['chat_id', 'tag', 'action'],
  set_executive_status: ['status'],
  reassign_chat: ['chat_id', 'executive_id'],
  add_note: ['chat_id', 'content'],
  typing: ['chat_id'],
};

export interface PayloadCase {
  name: string;
  data: unknown;
}

const huge = 'x'.repeat(LIMITS.message * 4);

/** Data that is not an object of the right shape, whatever the event. */
const wrongShapes: PayloadCase[] = [
  { name: 'null', data: null },
  { name: 'true', data: true },
  { name: 'false', data: false },
  { name: 'zero', data: 0 },
  { name: 'a number', data: 42 },
  { name: 'a fraction', data: -1.5 },
  { name: 'an empty string', data: '' },
  { name: 'a string', data: 'join' },
  { name: 'a huge string', data: huge },
  { name: 'an empty array', data: [] },
  { name: 'an array of an object', data: [{}] },
  { name: 'an array of numbers', data: [1, 2, 3] },
  { name: 'a nested array', data: [[[['PartnerApp']]]] },
  { name: 'infinity', data: Number.POSITIVE_INFINITY },
  { name: 'JSON text of an object', data: '{"room":"PartnerApp","chat_id":"1"}' },
  { name: 'binary', data: new Uint8Array([1, 2, 3]) },
  { name: 'binary that decodes to JSON', data: new TextEncoder().encode('{"room":"PartnerApp"}') },
  // Parsed from JSON, as a socket's data is: `__proto__` becomes an own key.
  { name: 'a __proto__ key', data: JSON.parse('{"__proto__":{"polluted":true}}') },
  { name: 'a constructor key', data: { constructor: { prototype: { polluted: true } } } },
  { name: 'a prototype key', data: { prototype: 1 } },
  {
    name: 'too many fields',
    data: Object.fromEntries(Array.from({ length: LIMITS.fields + 1 }, (_, i) => [`f${i}`, i])),
  },
];

/** Values no field of any event accepts. */
const badValues: PayloadCase[] = [
  { name: 'null', data: null },
  { name: 'true', data: true },
  { name: 'a fraction', data: 1.5 },
  { name: 'an empty string', data: '' },
  { name: 'a huge string', data: huge },
  { name: 'an array', data: ['PartnerApp'] },
  { name: 'a nested object', data: { deep: { deeper: { deepest: 'PartnerApp' } } } },
];

/**
 * At least 20 malformed variants of an event's data: wrong top-level shapes, prototype keys, and each
 * field missing (when required) or replaced by a value of the wrong type or size.
 */
export function malformedPayloads<E extends ClientEventName>(event: E): PayloadCase[] {
  const valid = { ...validRequests[event] } as Record<string, unknown>;
  const cases = [...wrongShapes];
  if (requiredFields[event].length > 0) cases.push({ name: 'undefined', data: undefined }, { name: '{}', data: {} });
  for (const field of Object.keys(valid)) {
    if (requiredFields[event].includes(field)) {
      const { [field]: _, ...without } = valid;
      cases.push({ name: `no ${field}`, data: without });
    }
    for (const bad of badValues) {
      // An optional field sent as null is one left out.
      if (bad.data === null && !requiredFields[event].includes(field)) continue;
      cases.push({ name: `${field} as ${bad.name}`, data: { ...valid, [field]: bad.data } });
    }
  }
  return cases;
}
