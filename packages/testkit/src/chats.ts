import type { ChatStatus, CustomerType } from '@care-chat/contract';
import type pg from 'pg';

let serial = 0;

/**
 * A chat of `type` written straight into the database (a migrated one), as if its customer had written:
 * for tests of what reads or joins chats, without a worker. Resolves with its `chat_id`.
 */
export async function insertChat(
  db: Pick<pg.Pool, 'query'>,
  type: CustomerType,
  { status = 'active', tags = [] }: { status?: ChatStatus; tags?: string[] } = {},
): Promise<string> {
  serial += 1;
  const customer = `9170${String(process.pid).padStart(7, '0')}${String(serial).padStart(4, '0')}`;
  const { rows } = await db.query<{ id: string }>(
    `WITH contact AS (
       INSERT INTO contacts (customer) VALUES ($1)
       ON CONFLICT (customer) DO UPDATE SET updated_at = now() RETURNING id)
     INSERT INTO chats (contact_id, customer, business_number_id, customer_type, status, tags)
     SELECT id, $1, $2, $2, $3, $4 FROM contact RETURNING id::text AS id`,
    [customer, type, status, tags],
  );
  return (rows[0] as { id: string }).id;
}
