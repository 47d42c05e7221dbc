import type {
  ChatListPagination,
  ChatStatus,
  ChatSummary,
  CustomerType,
  Pagination,
  UserStatus,
} from '@care-chat/contract';
import type { Queryable } from './db.js';
import { CHAT_ROW, type ChatRow, chatSummaryOf } from './rows.js';

export interface ChatListQuery {
  /** The types the caller may see, narrowed by any type it asked for. */
  customerTypes: readonly CustomerType[];
  status?: ChatStatus;
  /** `customer_details.dco_status` of the chat's customer. */
  userStatus?: UserStatus;
  search?: string;
  tag?: string;
  assignedExecutiveId?: string;
  /** The executive listing: each chat gets `unseen_count`, the customer messages they have not seen. */
  reader: string;
  page: number;
  pageSize: number;
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (char) => `\\${char}`);

export const paginationOf = (page: number, pageSize: number, total: number): Pagination => ({
  page,
  page_size: pageSize,
  total,
  total_pages: Math.ceil(total / pageSize),
});

/** A query's parameters, each added where its `$n` is written. */
class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    return `$${this.values.push(value)}`;
  }
}

/** The customer messages of chat `c` after the read mark of executive `$reader`. */
const unseenBy = (reader: string) => `(SELECT count(*) FROM messages m
   WHERE m.chat_id = c.id AND m.sender_type = 'Customer'
     AND m.id > COALESCE((SELECT r.last_seen_message_id FROM chat_reads r
                           WHERE r.chat_id = c.id AND r.executive_id = ${reader}), 0))::int`;

const NEWEST_FIRST = 'ORDER BY c.last_message_time DESC NULLS LAST, c.id DESC';

/**
 * One page of the chat list, newest first, with the counts of the Active and Pending tabs: every filter
 * but the status applies to them, so they count what each tab would list.
 */
export async function listChats(
  db: Queryable,
  query: ChatListQuery,
): Promise<{ chats: ChatSummary[]; pagination: ChatListPagination }> {
  const params = new Params();
  const where = [`c.customer_type = ANY(${params.add(query.customerTypes)})`];
  if (query.tag !== undefined) where.push(`c.tags @> ARRAY[${params.add(query.tag)}]`);
  if (query.assignedExecutiveId !== undefined)
    where.push(`c.assigned_executive_id = ${params.add(query.assignedExecutiveId)}`);
  if (query.userStatus !== undefined) {
    where.push(`EXISTS (SELECT 1 FROM customer_records r
                 WHERE r.customer = c.customer AND r.details ->> 'dco_status' = ${params.add(query.userStatus)})`);
  }
  if (query.search !== undefined) {
    const pattern = escapeLike(query.search);
    where.push(`(c.customer LIKE ${params.add(`${pattern}%`)} OR c.customer_name ILIKE ${params.add(`%${pattern}%`)})`);
  }
  const tabs = where.join(' AND ');
  const listed = query.status === undefined ? 'true' : `c.status = ${params.add(query.status)}`;
  const countParams = [...params.values];
  const reader = params.add(query.reader);
  const limit = params.add(query.pageSize);
  const offset = params.add((query.page - 1) * query.pageSize);
  const [page, counts] = await Promise.all([
    db.query<{ chat: ChatRow; unseen_count: number }>(
      `SELECT ${CHAT_ROW} AS chat, ${unseenBy(reader)} AS unseen_count FROM chats c
        WHERE ${tabs} AND ${listed} ${NEWEST_FIRST} LIMIT ${limit} OFFSET ${offset}`,
      params.values,
    ),
    db.query<{ total: number; total_active: number; total_pending: number }>(
      `SELECT count(*) FILTER (WHERE ${listed})::int AS total,
              count(*) FILTER (WHERE c.status = 'active')::int AS total_active,
              count(*) FILTER (WHERE c.status = 'pending')::int AS total_pending
         FROM chats c WHERE ${tabs}`,
      countParams,
    ),
  ]);
  const { total = 0, total_active = 0, total_pending = 0 } = counts.rows[0] ?? {};
  return {
    chats: page.rows.map(({ chat, unseen_count }) => chatSummaryOf(chat, unseen_count)),
    pagination: { ...paginationOf(query.page, query.pageSize, total), total_active, total_pending },
  };
}

/**
 * The chat of a customer among `customerTypes`, for `reader`. `customer` is the full number or, as the
 * dashboard sends it, its last 10 digits without the country code; a full match wins, then the newest.
 */
export async function findChatByCustomer(
  db: Queryable,
  customer: string,
  customerTypes: readonly CustomerType[],
  reader: string,
): Promise<ChatSummary | null> {
  const { rows } = await db.query<{ chat: ChatRow; unseen_count: number }>(
    `SELECT ${CHAT_ROW} AS chat, ${unseenBy('$3')} AS unseen_count FROM chats c
      WHERE (c.customer = $1 OR (length($1) = 10 AND right(c.customer, 10) = $1)) AND c.customer_type = ANY($2)
      ORDER BY c.customer = $1 DESC, c.last_message_time DESC NULLS LAST, c.id DESC LIMIT 1`,
    [customer, customerTypes, reader],
  );
  const row = rows[0];
  return row === undefined ? null : chatSummaryOf(row.chat, row.unseen_count);
}
