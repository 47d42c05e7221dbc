-- Who writes: one row per WhatsApp user. `customer` is the phone number (digits) or, for users who hide it
-- behind a username, their business-scoped user id.
CREATE TABLE contacts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  customer text NOT NULL UNIQUE,
  wa_id text,
  user_id text,
  name text,
  username text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- A chat is one customer on one business number; the number decides the customer type.
CREATE TABLE chats (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  contact_id bigint NOT NULL REFERENCES contacts (id),
  customer text NOT NULL,
  customer_name text,
  business_number_id text NOT NULL,
  customer_type text NOT NULL CHECK (customer_type IN ('Partner', 'Customer', 'Vendor', 'SRDP')),
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'resolved')),
  last_message text,
  last_message_time timestamptz,
  last_incoming_message timestamptz,
  last_incoming_whatsapp_message timestamptz,
  last_outgoing_message timestamptz,
  last_interaction_by text CHECK (last_interaction_by IN ('Customer', 'Executive')),
  tags text[] NOT NULL DEFAULT '{}',
  assigned_executive_id text,
  unread_count integer NOT NULL DEFAULT 0 CHECK (unread_count >= 0),
  version bigint NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (customer, business_number_id)
);

-- The chat list: newest first, overall and per customer type, filtered by status, tag or assignee.
CREATE INDEX chats_recent ON chats (last_message_time DESC NULLS LAST, id DESC);
CREATE INDEX chats_type_recent ON chats (customer_type, last_message_time DESC NULLS LAST, id DESC);
CREATE INDEX chats_status_type ON chats (status, customer_type);
CREATE INDEX chats_tags ON chats USING gin (tags);
CREATE INDEX chats_assigned_recent ON chats (assigned_executive_id, last_message_time DESC NULLS LAST)
  WHERE assigned_executive_id IS NOT NULL;
CREATE INDEX chats_customer_prefix ON chats (customer text_pattern_ops);

CREATE TABLE messages (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  chat_id bigint NOT NULL REFERENCES chats (id),
  -- WhatsApp's message id: a redelivered webhook or a retried job finds its message here and adds nothing.
  wamid text UNIQUE,
  sender text NOT NULL,
  sender_type text NOT NULL CHECK (sender_type IN ('Customer', 'Executive')),
  channel text NOT NULL DEFAULT 'whatsapp',
  kind text NOT NULL,
  body text NOT NULL,
  message_tag text,
  media_type text,
  media jsonb,
  media_url text,
  raw jsonb,
  sent_at timestamptz NOT NULL,
  delivery_status text NOT NULL,
  -- The position of delivery_status in its order, so a late, older status never overwrites a newer one.
  delivery_rank smallint NOT NULL,
  delivery_error jsonb,
  status_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX messages_history ON messages (chat_id, sent_at DESC, id DESC);
CREATE INDEX messages_unseen ON messages (chat_id, id) WHERE sender_type = 'Customer';

-- How far each executive has read each chat: everything up to last_seen_message_id is seen by them.
CREATE TABLE chat_reads (
  chat_id bigint NOT NULL REFERENCES chats (id),
  executive_id text NOT NULL,
  last_seen_message_id bigint NOT NULL,
  seen_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (chat_id, executive_id)
);
