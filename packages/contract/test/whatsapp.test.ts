import { describe, expect, it } from 'vitest';
import { LIMITS, parseWebhook } from '../src/index.js';

const NOW_MS = Date.UTC(2026, 11, 1);
const now = String(NOW_MS / 1000);

function body(value: Record<string, unknown>) {
  return {
    object: 'whatsapp_business_account',
    entry: [{ id: '1', changes: [{ field: 'messages', value: { metadata: { phone_number_id: '1001' }, ...value } }] }],
  };
}
const message = (fields: Record<string, unknown> = {}) =>
  body({ messages: [{ id: 'wamid.1', from: '919800000001', timestamp: now, type: 'text', ...fields }] });
const status = (fields: Record<string, unknown> = {}) =>
  body({ statuses: [{ id: 'wamid.1', status: 'read', timestamp: now, ...fields }] });

/** A message and a status with `fields` are both refused, naming the field where it is. */
function expectBothRefused(fields: Record<string, unknown>, problem: string) {
  for (const [list, build] of [
    ['messages', message],
    ['statuses', status],
  ] as const) {
    expect(parseWebhook(build(fields), NOW_MS)).toEqual({
      ok: false,
      message: `entry[0].changes[0].value.${list}[0].${problem}`,
    });
  }
}

/** `levels` objects, each holding the next under `a`. */
function nested(levels: number): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  let inner = root;
  for (let level = 1; level < levels; level++) {
    const next = {};
    inner.a = next;
    inner = next;
  }
  return root;
}

describe('parseWebhook times', () => {
  it.each([
    ['a message', message],
    ['a status', status],
  ])('takes %s sent up to the allowed clock skew ahead of now', (_, build) => {
    const ahead = String(NOW_MS / 1000 + LIMITS.clockSkewSeconds);
    expect(parseWebhook(build({ timestamp: ahead }), NOW_MS).ok).toBe(true);
    expect(parseWebhook(build({ timestamp: '0' }), NOW_MS).ok).toBe(true);
  });

  it.each([
    ['999999999999', 'year 33658'],
    ['253402300800', 'year 10000'],
    [String(NOW_MS / 1000 + LIMITS.clockSkewSeconds + 1), 'past the skew'],
    ['-1', 'negative'],
    ['1.5', 'fractional'],
    ['', 'empty'],
  ])('refuses a message or status time of %s (%s), naming where', (timestamp) => {
    expectBothRefused({ timestamp }, 'timestamp must be unix seconds, not in the future');
  });
});

describe('parseWebhook ids', () => {
  it.each(['wamid.\u0000', 'wamid.\ud800'])(
    'refuses a message or status id %j that PostgreSQL text cannot hold',
    (id) => {
      expectBothRefused({ id }, 'id must be a message id');
    },
  );

  it('keeps whatever the content holds, for the store to make storable', () => {
    expect(parseWebhook(message({ text: { body: 'x\ud800\u0000y' } }), NOW_MS).ok).toBe(true);
  });
});

describe('parseWebhook nesting', () => {
  // body, entry[], entry, changes[], change, value, messages[], message: 8 levels before a field of its own.
  const OWN = 8;

  it(`takes fields nested to ${LIMITS.depth} levels in all`, () => {
    expect(parseWebhook(message({ deep: nested(LIMITS.depth - OWN) })).ok).toBe(true);
  });

  it.each([LIMITS.depth - OWN + 1, 10_000, 1_000_000])(
    'refuses a field %i levels deep as malformed, and does not overflow the stack',
    (levels) => {
      expect(parseWebhook(message({ deep: nested(levels) }))).toEqual({
        ok: false,
        message: `body nests deeper than ${LIMITS.depth} levels`,
      });
    },
  );

  it('refuses deep arrays as well as deep objects', () => {
    const deep = JSON.parse(`${'['.repeat(10_000)}${']'.repeat(10_000)}`) as unknown;
    expect(parseWebhook(message({ deep })).ok).toBe(false);
  });
});
