import type { CustomerType } from '@care-chat/contract';
import type pg from 'pg';
import type { Queryable } from './db.js';
import { toJsonb } from './jsonb.js';

/** A JSON object another company system wrote; its fields are theirs. */
export type JsonObject = Record<string, unknown>;

export interface CustomerRides {
  rides: JsonObject[];
  searchHistory: JsonObject[];
}

/** What other systems may write: each call replaces the named columns of the customer's row, the rest kept. */
type Written =
  | { details: JsonObject }
  | { context_history: JsonObject[] }
  | { rides: JsonObject[]; search_history: JsonObject[] };

async function write(db: Queryable, customer: string, written: Written): Promise<void> {
  const columns = Object.keys(written);
  const values = Object.values(written).map(toJsonb);
  const placeholders = columns.map((_, index) => `$${index + 2}::jsonb`);
  await db.query(
    `INSERT INTO customer_records (customer, ${columns.join(', ')}) VALUES ($1, ${placeholders.join(', ')})
     ON CONFLICT (customer) DO UPDATE
       SET ${columns.map((column) => `${column} = EXCLUDED.${column}`).join(', ')}, updated_at = now()`,
    [customer, ...values],
  );
}

export const writeCustomerDetails = (db: Queryable, customer: string, details: JsonObject) =>
  write(db, customer, { details });

export const writeContextHistory = (db: Queryable, customer: string, items: JsonObject[]) =>
  write(db, customer, { context_history: items });

export const writeRides = (db: Queryable, customer: string, { rides, searchHistory }: CustomerRides) =>
  write(db, customer, { rides, search_history: searchHistory });

/**
 * The customer's row, if they have a chat of one of `customerTypes`: an executive reads what is known of
 * the customers they serve only, and a number of anyone else reads as one nothing is known of.
 */
async function readVisible<T extends pg.QueryResultRow>(
  db: Queryable,
  customer: string,
  customerTypes: readonly CustomerType[],
  columns: string,
): Promise<T | undefined> {
  const { rows } = await db.query<T>(
    `SELECT ${columns} FROM customer_records r
      WHERE r.customer = $1
        AND EXISTS (SELECT 1 FROM chats c WHERE c.customer = r.customer AND c.customer_type = ANY($2))`,
    [customer, customerTypes],
  );
  return rows[0];
}

export async function readContextHistory(
  db: Queryable,
  customer: string,
  customerTypes: readonly CustomerType[],
): Promise<JsonObject[]> {
  const row = await readVisible<{ items: JsonObject[] }>(db, customer, customerTypes, 'context_history AS items');
  return row?.items ?? [];
}

export async function readRides(
  db: Queryable,
  customer: string,
  customerTypes: readonly CustomerType[],
): Promise<CustomerRides> {
  const row = await readVisible<CustomerRides>(db, customer, customerTypes, 'rides, search_history AS "searchHistory"');
  return row ?? { rides: [], searchHistory: [] };
}
