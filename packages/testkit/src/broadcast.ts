import {
  type ChatSummary,
  CUSTOMER_TYPES,
  type CustomerType,
  DASHBOARD_ROOM,
  type DashboardCounts,
  type DashboardStats,
  ServerEvent,
} from '@care-chat/contract';
import { nextEvent, type TestClient } from './clients.js';

/** A complete ChatSummary of `type`, `overrides` laid over it. */
export function chatSummary(type: CustomerType, overrides: Partial<ChatSummary> = {}): ChatSummary {
  const now = new Date().toISOString();
  return {
    chat_id: `chat-${type.toLowerCase()}-1`,
    customer: '919876543210',
    customer_name: 'Rahul Sharma',
    customer_type: type,
    status: 'active',
    is_resolved: false,
    last_message: 'When will my cab arrive?',
    last_message_time: now,
    last_incoming_message: now,
    last_incoming_message_time: now,
    last_outgoing_message: null,
    last_interaction_by: 'Customer',
    last_msg_by: 'Customer',
    tags: [],
    assigned_executive_id: null,
    assigned_executive_name: null,
    unseen_count: 1,
    rating: null,
    customer_details: null,
    version: 1,
    ...overrides,
  };
}

const zero: DashboardCounts = { active: 0, resolved: 0, pending: 0 };

function markerStats(marker: number): DashboardStats {
  const byType = Object.fromEntries(CUSTOMER_TYPES.map((type) => [type, zero])) as Record<
    CustomerType,
    DashboardCounts
  >;
  return { ...zero, active: marker, by_type: byType };
}

type DashboardSender = (stats: DashboardStats) => void;

/**
 * Sends a marker to the `dashboard` room, where every socket is, and waits until every client has it.
 * A publisher's messages arrive in order, so whatever `send` published before has been delivered too:
 * "received nothing" is then a fact, not a guess after a sleep.
 */
export async function settle(send: DashboardSender, clients: readonly TestClient[]): Promise<void> {
  const marker = Math.floor(Math.random() * 1e9);
  const arrivals = clients.map((client) =>
    nextEvent(client, ServerEvent.DashboardStats, 5000, (s) => s.active === marker),
  );
  send(markerStats(marker));
  await Promise.all(arrivals);
}

/** What `viaEmitter` needs of an emitter (the realtime package's, typed by the contract). */
interface StatsEmitter {
  to(room: typeof DASHBOARD_ROOM): {
    emit(event: typeof ServerEvent.DashboardStats, stats: DashboardStats): unknown;
  };
}

/** `settle` through an emitter: its entries keep their order on one Redis connection. */
export function viaEmitter(emitter: StatsEmitter): DashboardSender {
  return (stats) => void emitter.to(DASHBOARD_ROOM).emit(ServerEvent.DashboardStats, stats);
}
