-- Executives' replies delivered to WhatsApp (issue 12): what the dashboard sent with a reply, so a double
-- click stores one message; the template a reply uses; and the state of its delivery, so that a worker that
-- died during a send is followed by one that knows it must not simply send again.

-- The client's own `datetime` of the reply (its clock, to the second): with the text, what a double click repeats.
ALTER TABLE messages ADD COLUMN client_datetime text;
-- `{ id, name }` of the approved template a reply uses; null for free-form messages.
ALTER TABLE messages ADD COLUMN template jsonb;
-- Calls made to WhatsApp for this reply, and when the one whose answer is not known yet began: set before
-- each call, cleared with its answer. Still set when a worker finds it means that worker died mid-call.
ALTER TABLE messages ADD COLUMN send_attempts integer NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN send_pending_since timestamptz;

-- A double click finds the reply it repeats among the chat's latest.
CREATE INDEX messages_replies_recent ON messages (chat_id, created_at DESC) WHERE sender_type = 'Executive';

-- Statuses of a wamid no stored message has yet: Meta may report `sent` before the send's own answer has
-- been recorded. They are applied, in order, once the wamid is. `message_id` is the reply named by the
-- status's `biz_opaque_callback_data`, when it names one.
CREATE TABLE parked_statuses (
  wamid text NOT NULL,
  status text NOT NULL,
  delivery_rank smallint NOT NULL,
  -- Unix seconds, as Meta sent them.
  status_timestamp bigint NOT NULL,
  error jsonb,
  message_id bigint,
  parked_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (wamid, status)
);

CREATE INDEX parked_statuses_message ON parked_statuses (message_id) WHERE message_id IS NOT NULL;
-- Statuses of messages this tier never sent (another system on the same number) are dropped after a day.
CREATE INDEX parked_statuses_age ON parked_statuses (parked_at);
