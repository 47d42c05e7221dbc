import type { CustomerType, TagAction } from '@care-chat/contract';
import { isChatId, type Queryable } from './db.js';

export interface TagChange {
  chatId: string;
  tag: string;
  action: TagAction;
  customerTypes: readonly CustomerType[];
  /** Tags a chat may carry; an add past it is refused. */
  maxTags: number;
}

export type TagResult =
  | { found: false }
  | { found: true; tooMany: true; tags: string[] }
  | { found: true; tooMany: false; tags: string[]; changed: boolean };

/**
 * Adds a tag to a chat's or removes it, if it is a chat of one of `customerTypes`: adding a tag it has and
 * removing one it lacks write nothing, so a repeated click is harmless. Tags keep the order they were added in.
 */
export async function applyTag(db: Queryable, change: TagChange): Promise<TagResult> {
  if (!isChatId(change.chatId)) return { found: false };
  const { rows } = await db.query<{ old: string[]; tags: string[]; changed: boolean }>(
    `WITH target AS (
       SELECT id, tags FROM chats WHERE id = $1 AND customer_type = ANY($2) FOR UPDATE
     ), next AS (
       SELECT id, tags AS old,
              CASE WHEN $4 = 'remove' THEN array_remove(tags, $3)
                   WHEN $3 = ANY(tags) THEN tags
                   ELSE array_append(tags, $3) END AS tags
         FROM target
     ), updated AS (
       UPDATE chats c SET tags = n.tags, version = c.version + 1, updated_at = now()
         FROM next n WHERE c.id = n.id AND n.tags <> n.old AND cardinality(n.tags) <= $5
       RETURNING c.id
     )
     SELECT old, tags, EXISTS (SELECT 1 FROM updated) AS changed FROM next`,
    [change.chatId, change.customerTypes, change.tag, change.action, change.maxTags],
  );
  const row = rows[0];
  if (row === undefined) return { found: false };
  if (row.changed) return { found: true, tooMany: false, tags: row.tags, changed: true };
  if (row.tags.length > change.maxTags) return { found: true, tooMany: true, tags: row.old };
  return { found: true, tooMany: false, tags: row.old, changed: false };
}
