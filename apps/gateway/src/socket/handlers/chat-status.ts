import { ClientEvent } from '@care-chat/contract';
import { setChatStatus } from '@care-chat/store';
import { SocketErrorMessage } from '../../errors.js';
import type { HandlerTable } from '../answer.js';

/**
 * `update_chat_status`: Resolved and Pending from the chat header. The dashboard refetches its list on the
 * answer, so no row is broadcast; the counts move for every dashboard through `dashboard_stats`.
 */
export const chatStatusHandlers = {
  [ClientEvent.UpdateChatStatus]: async ({ chat_id, customer_number, status }, context) => {
    const result = await setChatStatus(context.db, {
      chatId: chat_id,
      customer: customer_number,
      status,
      customerTypes: context.socket.data.executive.customerTypes,
    });
    if (!result.found) return { status: 0, message: SocketErrorMessage.chatNotFound(chat_id ?? customer_number) };
    if (result.ambiguous) return { status: 0, message: SocketErrorMessage.severalChats(customer_number) };
    if (result.changed) await context.statsChanged();
    return { status: 1, old_status: result.oldStatus, new_status: status };
  },
} satisfies Partial<HandlerTable>;
