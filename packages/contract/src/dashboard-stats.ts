import { CUSTOMER_TYPES, type CustomerType } from './customer-types.js';
import type { DashboardCounts, DashboardStats } from './payloads.js';

/**
 * The room of the dashboards whose token allows one set of customer types: `dashboard_stats` goes there
 * counted over those types only, so an executive never receives the counts of a type it may not see,
 * and each socket still gets one packet per update (no per-socket work on broadcast).
 */
export type StatsRoom = `stats_${string}`;

export const noChats = (): DashboardCounts => ({ active: 0, resolved: 0, pending: 0 });

const inOrder = (types: readonly CustomerType[]) => CUSTOMER_TYPES.filter((type) => types.includes(type));

/** Every non-empty set of customer types, with its room: where the counts are published. */
export const STATS_AUDIENCES: readonly { room: StatsRoom; types: readonly CustomerType[] }[] = Array.from(
  { length: 2 ** CUSTOMER_TYPES.length - 1 },
  (_, index) => CUSTOMER_TYPES.filter((_type, bit) => ((index + 1) >> bit) & 1),
).map((types) => ({ room: `stats_${types.join('+')}`, types }));

const statsRooms: ReadonlySet<string> = new Set(STATS_AUDIENCES.map(({ room }) => room));

/** The stats room of executives allowed `types` (in any order); none when they may see no type. */
export function statsRoom(types: readonly CustomerType[]): StatsRoom | null {
  const set = inOrder(types);
  return set.length === 0 ? null : `stats_${set.join('+')}`;
}

/** The stats rooms of every executive allowed `type`: the dashboards that may be told of one of its chats. */
export const statsRoomsOf = (type: CustomerType): StatsRoom[] =>
  STATS_AUDIENCES.filter(({ types }) => types.includes(type)).map(({ room }) => room);

export function isStatsRoom(room: unknown): room is StatsRoom {
  return typeof room === 'string' && statsRooms.has(room);
}

/** The counts of `types` only: the totals summed over them, and no entry for any other type. */
export function statsOfTypes(stats: DashboardStats, types: readonly CustomerType[]): DashboardStats {
  const total = noChats();
  const byType: Partial<Record<CustomerType, DashboardCounts>> = {};
  for (const type of inOrder(types)) {
    const counts = stats.by_type[type] ?? noChats();
    byType[type] = counts;
    total.active += counts.active;
    total.resolved += counts.resolved;
    total.pending += counts.pending;
  }
  return { ...total, by_type: byType };
}
