-- What the dashboard reads (issue 11): the `pending` status, the chat's rating, the name of its executive and
-- what other systems know of its customer with every chat row, search by the last 10 digits, and message
-- times unique within a chat, in the order WhatsApp's messages were received.

ALTER TABLE chats DROP CONSTRAINT chats_status_check;
ALTER TABLE chats ADD CONSTRAINT chats_status_check CHECK (status IN ('active', 'pending', 'resolved'));

-- Set by the customer's rating of the chat; null until rated.
ALTER TABLE chats ADD COLUMN rating smallint CHECK (rating BETWEEN 1 AND 5);

-- The dashboard searches with the 10 digits typed, stored numbers carry the country code.
CREATE INDEX chats_customer_last10 ON chats (right(customer, 10));

-- The order the gateways received a customer message in (the job's `arrival`); null for older messages.
ALTER TABLE messages ADD COLUMN arrival bigint;

-- WhatsApp's times are whole seconds and the dashboard drops a message whose time equals one it shows:
-- messages stored before this migration that share a time are spread a millisecond apart, in id order.
UPDATE messages m SET sent_at = m.sent_at + (d.rank - 1) * interval '1 millisecond'
  FROM (SELECT id, row_number() OVER (PARTITION BY chat_id, sent_at ORDER BY id) AS rank FROM messages) d
 WHERE d.id = m.id AND d.rank > 1;
DROP INDEX messages_history;
CREATE UNIQUE INDEX messages_history ON messages (chat_id, sent_at);

-- A chat row as every read sends it: the chat, its executive's name (executive ids are bigints, a chat
-- keeps its assignee as text) and its customer's details.
CREATE FUNCTION chat_summary_row(c chats) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT to_jsonb(c) || jsonb_build_object(
    'assigned_executive_name',
    (SELECT e.name FROM executives e
      WHERE e.id = CASE WHEN c.assigned_executive_id ~ '^[0-9]{1,18}$' THEN c.assigned_executive_id::bigint END),
    'customer_details', (SELECT r.details FROM customer_records r WHERE r.customer = c.customer))
$$;

-- The time of a chat's message received in WhatsApp's second `p_second`, `p_arrival`-th by the gateways.
-- Messages of one chat are processed concurrently, so one received earlier may be stored later: its time
-- must still come before those received after it, and a time shown is never changed. WhatsApp wrote the
-- message somewhere in that second: the first one stored takes its middle, one received after all those
-- stored 64 ms above them, one received before all of them 64 ms below, one received between two the middle
-- of their gap (gaps are left for those). When no millisecond is left where it belongs, the next free one
-- above its predecessor is taken: unique, and late messages past the second's end keep their order.
CREATE FUNCTION message_time(p_chat_id bigint, p_second timestamptz, p_arrival bigint) RETURNS timestamptz
LANGUAGE plpgsql STABLE AS $$
DECLARE
  v_ms interval := interval '1 millisecond';
  v_below timestamptz;
  v_above timestamptz;
  v_low timestamptz;
  v_high timestamptz;
  v_step interval;
  v_time timestamptz;
BEGIN
  -- Messages without an arrival (an executive's, or queued before arrivals were counted) come first.
  SELECT max(sent_at) FILTER (WHERE arrival IS NULL OR p_arrival IS NULL OR arrival < p_arrival),
         min(sent_at) FILTER (WHERE arrival > p_arrival)
    INTO v_below, v_above
    FROM messages
   WHERE chat_id = p_chat_id AND sent_at >= p_second AND sent_at < p_second + interval '1 second';
  v_low := COALESCE(v_below, p_second - v_ms);
  v_high := COALESCE(v_above, p_second + interval '1 second');
  v_step := date_trunc('milliseconds', (v_high - v_low) / 2);
  IF v_below IS NULL AND v_above IS NULL THEN
    v_time := p_second + 500 * v_ms;
  ELSIF v_above IS NULL THEN
    v_time := v_low + LEAST(64 * v_ms, v_step);
  ELSIF v_below IS NULL THEN
    v_time := v_high - LEAST(64 * v_ms, v_step);
  ELSE
    v_time := v_low + v_step;
  END IF;
  IF v_step < v_ms THEN
    v_time := COALESCE(v_below + v_ms, p_second);
  END IF;
  WHILE EXISTS (SELECT 1 FROM messages WHERE chat_id = p_chat_id AND sent_at = v_time) LOOP
    v_time := v_time + v_ms;
  END LOOP;
  RETURN v_time;
END
$$;

DROP FUNCTION ingest_inbound_message(jsonb);

-- As in 002, with the message's time from message_time and the chat as chat_summary_row gives it.
CREATE FUNCTION ingest_inbound_message(p jsonb)
RETURNS TABLE (chat jsonb, message jsonb, inserted boolean)
LANGUAGE plpgsql AS $$
DECLARE
  v_contact_id bigint;
  v_chat chats%ROWTYPE;
  v_message messages%ROWTYPE;
  v_sent_at timestamptz;
BEGIN
  INSERT INTO contacts AS c (customer, wa_id, user_id, name, username)
  VALUES (p ->> 'customer', p ->> 'wa_id', p ->> 'user_id', p ->> 'name', p ->> 'username')
  ON CONFLICT (customer) DO UPDATE SET
    wa_id = COALESCE(EXCLUDED.wa_id, c.wa_id),
    user_id = COALESCE(EXCLUDED.user_id, c.user_id),
    name = COALESCE(EXCLUDED.name, c.name),
    username = COALESCE(EXCLUDED.username, c.username),
    updated_at = now()
  WHERE (c.wa_id, c.user_id, c.name, c.username)
    IS DISTINCT FROM (COALESCE(EXCLUDED.wa_id, c.wa_id), COALESCE(EXCLUDED.user_id, c.user_id),
                      COALESCE(EXCLUDED.name, c.name), COALESCE(EXCLUDED.username, c.username))
  RETURNING id INTO v_contact_id;
  IF v_contact_id IS NULL THEN
    SELECT id INTO v_contact_id FROM contacts WHERE customer = p ->> 'customer';
  END IF;

  INSERT INTO chats (contact_id, customer, customer_name, business_number_id, customer_type)
  VALUES (v_contact_id, p ->> 'customer', p ->> 'name', p ->> 'business_number_id', p ->> 'customer_type')
  ON CONFLICT (customer, business_number_id) DO NOTHING;
  SELECT * INTO v_chat FROM chats
  WHERE customer = p ->> 'customer' AND business_number_id = p ->> 'business_number_id'
  FOR UPDATE;

  SELECT * INTO v_message FROM messages WHERE wamid = p ->> 'wamid';
  IF v_message.id IS NOT NULL THEN
    RETURN QUERY SELECT chat_summary_row(v_chat), to_jsonb(v_message), false;
    RETURN;
  END IF;

  -- The chat is locked: no other message of it takes a time until this one is stored.
  v_sent_at := message_time(v_chat.id, to_timestamp((p ->> 'timestamp')::bigint), (p ->> 'arrival')::bigint);
  INSERT INTO messages (chat_id, wamid, sender, sender_type, kind, body, message_tag, media_type, media, raw,
                        sent_at, arrival, delivery_status, delivery_rank)
  VALUES (v_chat.id, p ->> 'wamid', p ->> 'customer', 'Customer', p ->> 'kind', p ->> 'body',
          p ->> 'message_tag', p ->> 'media_type', p -> 'media', p -> 'raw', v_sent_at, (p ->> 'arrival')::bigint,
          'received', 0)
  RETURNING * INTO v_message;

  -- Meta may deliver a chat's messages out of order: the preview follows the newest by WhatsApp's time.
  -- A customer's message reopens a pending or resolved chat.
  UPDATE chats SET
    customer_name = COALESCE(p ->> 'name', customer_name),
    customer_type = p ->> 'customer_type',
    status = 'active',
    last_message = CASE WHEN last_message_time IS NULL OR v_sent_at >= last_message_time
                        THEN v_message.body ELSE last_message END,
    last_interaction_by = CASE WHEN last_message_time IS NULL OR v_sent_at >= last_message_time
                               THEN 'Customer' ELSE last_interaction_by END,
    last_message_time = GREATEST(last_message_time, v_sent_at),
    last_incoming_message = GREATEST(last_incoming_message, v_sent_at),
    last_incoming_whatsapp_message = GREATEST(last_incoming_whatsapp_message, v_sent_at),
    unread_count = unread_count + 1,
    version = version + 1,
    updated_at = now()
  WHERE id = v_chat.id
  RETURNING * INTO v_chat;

  RETURN QUERY SELECT chat_summary_row(v_chat), to_jsonb(v_message), true;
END
$$;
