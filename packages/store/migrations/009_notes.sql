-- Executives' notes on a chat (issue 12), newest first. The author is the token's `sub`, as text and not a
-- reference to executives: a token from another issuer names an executive this table does not have. Their
-- name is kept with the note as it was when written (the executives table's, else the token's).
CREATE TABLE notes (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  chat_id bigint NOT NULL REFERENCES chats (id),
  author_id text NOT NULL,
  author_name text NOT NULL,
  content text NOT NULL CHECK (content <> ''),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX notes_chat_recent ON notes (chat_id, created_at DESC, id DESC);
