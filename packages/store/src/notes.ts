import type { CustomerType, Executive, Note } from '@care-chat/contract';
import { isChatId, type Queryable } from './db.js';
import { visibleChatType } from './visible-chat.js';

/** The newest notes a chat lists: the dashboard has no pages for them. */
const NOTES_LISTED = 500;

interface NoteRow {
  id: string;
  chat_id: string;
  author_id: string;
  author_name: string;
  content: string;
  created_at: Date;
}

const NOTE_COLUMNS = 'id::text, chat_id::text, author_id, author_name, content, created_at';

const noteOf = (row: NoteRow): Note => ({
  id: row.id,
  chat_id: row.chat_id,
  content: row.content,
  author_id: row.author_id,
  author_name: row.author_name,
  created_at: row.created_at.toISOString(),
});

/** Executive ids of this tier's own executives are bigints; a token from elsewhere may carry any `sub`. */
const executiveKey = (id: string) => (/^\d{1,18}$/.test(id) ? id : null);

/**
 * Adds `author`'s note to a chat of one of `customerTypes`; null (nothing written) for any other chat. The
 * author's name is the executives table's, else the token's `name`, else their id.
 */
export async function addNote(
  db: Queryable,
  note: {
    chatId: string;
    content: string;
    author: Pick<Executive, 'id' | 'name'>;
    customerTypes: readonly CustomerType[];
  },
): Promise<Note | null> {
  if (!isChatId(note.chatId)) return null;
  const { rows } = await db.query<NoteRow>(
    `INSERT INTO notes (chat_id, author_id, author_name, content)
     SELECT c.id, $2, COALESCE((SELECT e.name FROM executives e WHERE e.id = $3::bigint), $4), $5
       FROM chats c WHERE c.id = $1 AND c.customer_type = ANY($6)
     RETURNING ${NOTE_COLUMNS}`,
    [
      note.chatId,
      note.author.id,
      executiveKey(note.author.id),
      note.author.name ?? note.author.id,
      note.content,
      note.customerTypes,
    ],
  );
  const row = rows[0];
  return row === undefined ? null : noteOf(row);
}

/** A chat's notes, newest first (the dashboard puts a new one on top); null for a chat not of `customerTypes`. */
export async function listNotes(
  db: Queryable,
  chatId: string,
  customerTypes: readonly CustomerType[],
): Promise<Note[] | null> {
  if ((await visibleChatType(db, chatId, customerTypes)) === null) return null;
  const { rows } = await db.query<NoteRow>(
    `SELECT ${NOTE_COLUMNS} FROM notes WHERE chat_id = $1 ORDER BY created_at DESC, id DESC LIMIT ${NOTES_LISTED}`,
    [chatId],
  );
  return rows.map(noteOf);
}
