import {
  AWAITING_CUSTOMER_RESPONSE_TAG,
  CUSTOMER_TYPES,
  type CustomerType,
  type DashboardCounts,
  type DashboardStats,
} from '@care-chat/contract';
import type { Queryable } from './db.js';

/** Chat counts by status, overall and per customer type. */
export async function dashboardStats(db: Queryable): Promise<DashboardStats> {
  const { rows } = await db.query<{ customer_type: CustomerType } & DashboardCounts>(
    `SELECT customer_type,
            count(*) FILTER (WHERE status = 'active')::int AS active,
            count(*) FILTER (WHERE status = 'resolved')::int AS resolved,
            count(*) FILTER (WHERE status = 'active' AND tags @> ARRAY[$1])::int AS awaiting_customer_response
       FROM chats GROUP BY customer_type`,
    [AWAITING_CUSTOMER_RESPONSE_TAG],
  );
  const byType = Object.fromEntries(
    CUSTOMER_TYPES.map((type) => [type, { active: 0, resolved: 0, awaiting_customer_response: 0 }]),
  ) as Record<CustomerType, DashboardCounts>;
  const total: DashboardCounts = { active: 0, resolved: 0, awaiting_customer_response: 0 };
  for (const { customer_type: type, active, resolved, awaiting_customer_response: awaiting } of rows) {
    byType[type] = { active, resolved, awaiting_customer_response: awaiting };
    total.active += active;
    total.resolved += resolved;
    total.awaiting_customer_response += awaiting;
  }
  return { ...total, by_customer_type: byType };
}
