import { ClientEvent } from '@care-chat/contract';
import type { HandlerTable } from '../answer.js';

/**
 * `set_executive_status`: the dashboard sends only the status, in capitals; the executive is the token's.
 * The choice holds for every socket of theirs and survives reconnects (the dashboard never sends it again).
 */
export const presenceHandlers = {
  [ClientEvent.SetExecutiveStatus]: async ({ status }, { socket, presence }) => {
    const { executive } = socket.data;
    // The validator gave the status in capitals, whatever case it came in.
    await presence.choose(executive, status);
    return { status: 1, executive_id: executive.id, new_status: status };
  },
} satisfies Partial<HandlerTable>;
