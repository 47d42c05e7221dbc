import { randomUUID } from 'node:crypto';
import { addExecutive, type NewExecutive } from '@care-chat/store';
import type pg from 'pg';

/** The password of every executive `newAdmin` adds. */
export const ADMIN_PASSWORD = 'correct horse battery staple';

/** A new executive, an admin unless `overrides` say otherwise; its username. */
export async function newAdmin(db: pg.Pool, overrides: Partial<NewExecutive> = {}): Promise<string> {
  const username = `exec-${randomUUID().slice(0, 8)}`;
  await addExecutive(db, {
    username,
    name: 'Asha Verma',
    agentNumber: '919876543210',
    role: 'admin',
    customerTypes: ['Partner'],
    password: ADMIN_PASSWORD,
    ...overrides,
  });
  return username;
}
