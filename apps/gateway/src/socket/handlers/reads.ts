import { ClientEvent, type CustomerType, routeOf, ServerEvent, statsOfTypes } from '@care-chat/contract';
import { findChatByCustomer, listChats, readHistory } from '@care-chat/store';
import { SocketErrorMessage } from '../../errors.js';
import type { HandlerContext, HandlerTable } from '../answer.js';

const DEFAULT_PAGE_SIZE = { chats: 10, messages: 20 } as const;

const allowedOf = (context: HandlerContext) => context.socket.data.executive.customerTypes;

/**
 * The dashboard's reads: the chat list, a chat's history (which marks it read), search, and stats. The
 * reader is the token's executive, whatever `sender` the client names.
 */
export const readHandlers = {
  [ClientEvent.FetchAllChats]: async (query, context) => {
    const allowed = allowedOf(context);
    const visible = (asked: CustomerType | undefined) =>
      asked === undefined ? allowed : allowed.filter((type) => type === asked);
    if (query.customer_type !== undefined && !allowed.includes(query.customer_type)) {
      return { status: 0, message: SocketErrorMessage.forbiddenCustomerType(query.customer_type) };
    }
    const { chats, pagination } = await listChats(context.db, {
      customerTypes: visible(query.customer_type),
      status: query.status,
      search: query.search,
      tag: query.tag,
      assignedExecutiveId: query.assigned_executive_id,
      reader: context.socket.data.executive.id,
      page: query.page ?? 1,
      pageSize: query.page_size ?? DEFAULT_PAGE_SIZE.chats,
    });
    return { status: 1, chats, pagination };
  },
  [ClientEvent.FetchChatsByUser]: async (query, context) => {
    const { db, io } = context;
    const history = await readHistory(db, {
      chatId: query.chat_id,
      executiveId: context.socket.data.executive.id,
      customerTypes: allowedOf(context),
      page: query.page ?? 1,
      pageSize: query.page_size ?? DEFAULT_PAGE_SIZE.messages,
      mediaUrl: context.mediaUrl,
    });
    if (!history.found) return { status: 0, message: SocketErrorMessage.chatNotFound(query.chat_id) };
    if (history.changed) {
      // Reading cleared the unread badge: every dashboard showing this chat hears it.
      const { room, event } = routeOf(history.chat.customer_type);
      io.to(room).emit(event, history.chat);
    }
    return { status: 1, messages: history.messages, pagination: history.pagination };
  },
  [ClientEvent.SearchChat]: async ({ customer }, context) => {
    const chat = await findChatByCustomer(context.db, customer, allowedOf(context));
    return chat === null ? { status: 0, message: SocketErrorMessage.noChatFor(customer) } : { status: 1, chat };
  },
  [ClientEvent.GetDashboardStats]: async (_query, { stats: cache, socket }) => {
    const stats = statsOfTypes(await cache.get(), socket.data.executive.customerTypes);
    socket.emit(ServerEvent.DashboardStats, stats);
    return { status: 1, data: stats };
  },
} satisfies Partial<HandlerTable>;
