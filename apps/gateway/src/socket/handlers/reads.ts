import { ClientEvent, type CustomerType, ServerEvent, statsOfTypes } from '@care-chat/contract';
import { customerWindows, findChatByCustomer, listChats, readHistory } from '@care-chat/store';
import { SocketErrorMessage } from '../../errors.js';
import type { HandlerContext, HandlerTable } from '../answer.js';

const DEFAULT_PAGE_SIZE = { chats: 10, messages: 20 } as const;

/**
 * The types a read covers: the one asked for, or every type the token allows. Null when the token does not
 * allow the one asked for.
 */
function typesOf(asked: CustomerType | undefined, { socket }: HandlerContext): readonly CustomerType[] | null {
  const allowed = socket.data.executive.customerTypes;
  if (asked === undefined) return allowed;
  return allowed.includes(asked) ? [asked] : null;
}

const forbidden = (type: string) => ({ status: 0, message: SocketErrorMessage.forbiddenCustomerType(type) }) as const;

/**
 * The dashboard's reads: the chat list, a chat's history (which marks it read), search, the WhatsApp
 * window and stats. The reader is the token's executive, whatever `sender` the client names. Reading
 * broadcasts nothing: a `room_update` means a customer wrote, and each one raises the badges it reaches.
 */
export const readHandlers = {
  [ClientEvent.FetchAllChats]: async (query, context) => {
    const types = typesOf(query.customer_type, context);
    if (types === null) return forbidden(query.customer_type as CustomerType);
    const { chats, pagination } = await listChats(context.db, {
      customerTypes: types,
      status: query.status,
      userStatus: query.user_status,
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
    const history = await readHistory(context.db, {
      chatId: query.chat_id,
      executiveId: context.socket.data.executive.id,
      customerTypes: context.socket.data.executive.customerTypes,
      page: query.page ?? 1,
      pageSize: query.page_size ?? DEFAULT_PAGE_SIZE.messages,
      mediaUrl: context.mediaUrl,
    });
    if (!history.found) return { status: 0, message: SocketErrorMessage.chatNotFound(query.chat_id) };
    return { status: 1, messages: history.messages, pagination: history.pagination };
  },
  [ClientEvent.SearchChat]: async ({ customer, customer_type }, context) => {
    const types = typesOf(customer_type, context);
    if (types === null) return forbidden(customer_type as CustomerType);
    const chat = await findChatByCustomer(context.db, customer, types, context.socket.data.executive.id);
    return chat === null ? { status: 0, message: SocketErrorMessage.noChatFor(customer) } : { status: 1, chat };
  },
  [ClientEvent.Config]: async ({ sender, customer_type }, context) => {
    const types = typesOf(customer_type, context);
    if (types === null) return forbidden(customer_type as CustomerType);
    const windows = await customerWindows(context.db, sender, types);
    if (windows === null) return { status: 0, message: SocketErrorMessage.noChatFor(sender) };
    return { status: 1, chat_id: windows.chatId, config: { whatsapp_window_open: windows.open } };
  },
  [ClientEvent.GetDashboardStats]: async (_query, { stats: cache, socket }) => {
    const stats = statsOfTypes(await cache.get(), socket.data.executive.customerTypes);
    socket.emit(ServerEvent.DashboardStats, stats);
    return { status: 1, data: stats };
  },
} satisfies Partial<HandlerTable>;
