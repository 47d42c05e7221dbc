import { isStatsRoom, ServerEvent } from '@care-chat/contract';
import type { Broadcast } from '@care-chat/realtime';

/**
 * Counts published to the dashboards (to a stats room) are replaced by the next ones within a second:
 * they can wait up to `holdMs` for a socket's next packet and go out in the same write. (Not the stats a
 * socket asked for: those go to its own room.) Everything else goes at once.
 */
export const holdDashboardStats =
  (holdMs: number) =>
  ({ packet, options }: Broadcast): number =>
    packet.data[0] === ServerEvent.DashboardStats &&
    options.rooms.size === 1 &&
    isStatsRoom(options.rooms.values().next().value)
      ? holdMs
      : 0;
