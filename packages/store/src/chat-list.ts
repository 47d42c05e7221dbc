import type { ChatStatus, ChatSummary, CustomerType, Pagination } from '@care-chat/contract';
import type { Queryable } from './db.js';
import { type ChatRow, chatSummaryOf } from './rows.js';

export interface ChatListQuery {
  /** The types the caller may see, narrowed by any type it asked for. */
  customerTypes: readonly CustomerType[];
  status?: ChatStatus;
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

/** One page of the chat list, newest first. */
export async function listChats(
  db: Queryable,
  query: ChatListQuery,
): Promise<{ chats: ChatSummary[]; pagination: Pagination }> {
  const params: unknown[] = [query.customerTypes];
  const where = ['c.customer_type = ANY($1)'];
  const param = (value: unknown) => `$${params.push(value)}`;
  if (query.status !== undefined) where.push(`c.status = ${param(query.status)}`);
  if (query.tag !== undefined) where.push(`c.tags @> ARRAY[${param(query.tag)}]`);
  if (query.assignedExecutiveId !== undefined)
    where.push(`c.assigned_executive_id = ${param(query.assignedExecutiveId)}`);
  if (query.search !== undefined) {
    const pattern = escapeLike(query.search);
    where.push(`(c.customer LIKE ${param(`${pattern}%`)} OR c.customer_name ILIKE ${param(`%${pattern}%`)})`);
  }
  const filter = where.join(' AND ');
  const countParams = [...params];
  const unseen = `(SELECT count(*) FROM messages m
                    WHERE m.chat_id = c.id AND m.sender_type = 'Customer'
                      AND m.id > COALESCE((SELECT r.last_seen_message_id FROM chat_reads r
                                            WHERE r.chat_id = c.id AND r.executive_id = ${param(query.reader)}), 0))::int`;
  const limit = param(query.pageSize);
  const offset = param((query.page - 1) * query.pageSize);
  const [page, count] = await Promise.all([
    db.query<{ chat: ChatRow; unseen_count: number }>(
      `SELECT to_jsonb(c) AS chat, ${unseen} AS unseen_count FROM chats c WHERE ${filter}
        ORDER BY c.last_message_time DESC NULLS LAST, c.id DESC LIMIT ${limit} OFFSET ${offset}`,
      params,
    ),
    db.query<{ total: number }>(`SELECT count(*)::int AS total FROM chats c WHERE ${filter}`, countParams),
  ]);
  const chats = page.rows.map(({ chat, unseen_count }) => ({ ...chatSummaryOf(chat), unseen_count }));
  return { chats, pagination: paginationOf(query.page, query.pageSize, count.rows[0]?.total ?? 0) };
}

/** The most recent chat of a customer (by phone number) among the types the caller may see. */
export async function findChatByCustomer(
  db: Queryable,
  customer: string,
  customerTypes: readonly CustomerType[],
): Promise<ChatSummary | null> {
  const { rows } = await db.query<{ chat: ChatRow }>(
    `SELECT to_jsonb(c) AS chat FROM chats c WHERE c.customer = $1 AND c.customer_type = ANY($2)
      ORDER BY c.last_message_time DESC NULLS LAST, c.id DESC LIMIT 1`,
    [customer, customerTypes],
  );
  return rows[0] === undefined ? null : chatSummaryOf(rows[0].chat);
}
