import {
  CUSTOMER_TYPES,
  type CustomerType,
  type DashboardCounts,
  type DashboardStats,
  noChats,
} from '@care-chat/contract';
import type { Queryable } from './db.js';

/** Chat counts by status, overall and per customer type. */
export async function dashboardStats(db: Queryable): Promise<DashboardStats> {
  const { rows } = await db.query<{ customer_type: CustomerType } & DashboardCounts>(
    `SELECT customer_type,
            count(*) FILTER (WHERE status = 'active')::int AS active,
            count(*) FILTER (WHERE status = 'resolved')::int AS resolved,
            count(*) FILTER (WHERE status = 'pending')::int AS pending
       FROM chats GROUP BY customer_type`,
  );
  const byType = Object.fromEntries(CUSTOMER_TYPES.map((type) => [type, noChats()])) as Record<
    CustomerType,
    DashboardCounts
  >;
  const total = noChats();
  for (const { customer_type: type, active, resolved, pending } of rows) {
    byType[type] = { active, resolved, pending };
    total.active += active;
    total.resolved += resolved;
    total.pending += pending;
  }
  return { ...total, by_type: byType };
}
