import type { CustomerType } from '@care-chat/contract';
import { isChatId, type Queryable } from './db.js';

/**
 * The customer type of chat `chatId` if it is one of `customerTypes`, else null: a chat of another type
 * and an id that names no chat are answered alike, so a caller cannot tell them apart.
 */
export async function visibleChatType(
  db: Queryable,
  chatId: string,
  customerTypes: readonly CustomerType[],
): Promise<CustomerType | null> {
  if (!isChatId(chatId)) return null;
  const { rows } = await db.query<{ customer_type: CustomerType }>(
    'SELECT customer_type FROM chats WHERE id = $1 AND customer_type = ANY($2)',
    [chatId, customerTypes],
  );
  return rows[0]?.customer_type ?? null;
}
