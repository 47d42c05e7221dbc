import { CUSTOMER_TYPES, type CustomerType } from '@care-chat/contract';
import type { Log } from '@care-chat/runtime';
import { addExecutive, createPool, migrate, resetPassword } from '@care-chat/store';
import { postWebhook, SAMPLE_NUMBERS, textWebhook, until } from '@care-chat/testkit/tools';
import type pg from 'pg';
import { DEMO_EXECUTIVE } from './demo-executive.js';

/** One customer per type writes once, so each of the four rooms has a chat to show. */
const SAMPLE_CHATS = {
  Partner: { from: '919800000101', name: 'Ravi (driver partner)', text: 'My payout for last week is missing' },
  Customer: { from: '919800000102', name: 'Meera', text: 'Where is my cab?' },
  Vendor: { from: '919800000103', name: 'Fleet Vendor Co', text: 'Two cars need new permits' },
  SRDP: { from: '919800000104', name: 'Arjun (SRDP)', text: 'Shift roster for tomorrow?' },
} as const satisfies Record<CustomerType, { from: string; name: string; text: string }>;

export async function withPool<T>(url: string, work: (pool: pg.Pool) => Promise<T>): Promise<T> {
  const pool = createPool(url, 2);
  try {
    return await work(pool);
  } finally {
    await pool.end();
  }
}

/** The schema, and the demo executive with `password` (set again when it exists). */
export async function prepareDatabase(url: string, password: string, log: Log): Promise<void> {
  await withPool(url, async (pool) => {
    await migrate(pool, log);
    const executive = { ...DEMO_EXECUTIVE, role: 'admin' as const, customerTypes: CUSTOMER_TYPES, password };
    const added = await addExecutive(pool, executive);
    if (added === undefined) await resetPassword(pool, DEMO_EXECUTIVE.username, password);
  });
}

/**
 * Through the tier, as WhatsApp would: a signed webhook for each type that has no chat yet, then waits
 * until the worker has stored them. Returns the types seeded.
 */
export async function seedSampleChats(url: string, gatewayUrl: string, appSecret: string): Promise<CustomerType[]> {
  return withPool(url, async (pool) => {
    const { rows } = await pool.query<{ customer_type: CustomerType }>('SELECT DISTINCT customer_type FROM chats');
    const present = new Set(rows.map((row) => row.customer_type));
    const missing = CUSTOMER_TYPES.filter((type) => !present.has(type));
    for (const type of missing) {
      const sample = SAMPLE_CHATS[type];
      const body = textWebhook({ phoneNumberId: SAMPLE_NUMBERS[type], ...sample });
      // As Meta does: a 503 (a gateway whose queue connection is still coming up) is sent again.
      const { status, text } = await until(
        () => postWebhook(gatewayUrl, body, appSecret),
        (answer) => answer.status !== 503,
        `the sample ${type} webhook to be queued`,
      );
      if (status !== 200) throw new Error(`the sample ${type} webhook was answered ${status}: ${text}`);
    }
    await until(
      () => pool.query('SELECT DISTINCT customer_type FROM chats'),
      (stored) => stored.rowCount === CUSTOMER_TYPES.length,
      'the sample chats to be stored by the worker',
    );
    return missing;
  });
}
