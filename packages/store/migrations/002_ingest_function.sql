-- One inbound customer message, stored in one round trip and one transaction: the contact, the chat
-- (locked, so messages of one chat apply one at a time), the message (unique on wamid), and the chat's
-- times, unread count and version. A wamid seen before changes nothing and returns inserted = false
-- with the current rows, so a retried job can still broadcast what an earlier attempt stored.
CREATE OR REPLACE FUNCTION ingest_inbound_message(p jsonb)
RETURNS TABLE (chat jsonb, message jsonb, inserted boolean)
LANGUAGE plpgsql AS $$
DECLARE
  v_contact_id bigint;
  v_chat chats%ROWTYPE;
  v_message messages%ROWTYPE;
  v_sent_at timestamptz := to_timestamp((p ->> 'timestamp')::bigint);
BEGIN
  INSERT INTO contacts AS c (customer, wa_id, user_id, name, username)
  VALUES (p ->> 'customer', p ->> 'wa_id', p ->> 'user_id', p ->> 'name', p ->> 'username')
  ON CONFLICT (customer) DO UPDATE SET
    wa_id = COALESCE(EXCLUDED.wa_id, c.wa_id),
    user_id = COALESCE(EXCLUDED.user_id, c.user_id),
    name = COALESCE(EXCLUDED.name, c.name),
    username = COALESCE(EXCLUDED.username, c.username),
    updated_at = now()
  -- Only a real change writes the row: most messages come from a contact already known as it is.
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

  INSERT INTO messages (chat_id, wamid, sender, sender_type, kind, body, message_tag, media_type, media, raw,
                        sent_at, delivery_status, delivery_rank)
  VALUES (v_chat.id, p ->> 'wamid', p ->> 'customer', 'Customer', p ->> 'kind', p ->> 'body',
          p ->> 'message_tag', p ->> 'media_type', p -> 'media', p -> 'raw', v_sent_at, 'received', 0)
  ON CONFLICT (wamid) DO NOTHING
  RETURNING * INTO v_message;

  IF v_message.id IS NULL THEN
    SELECT * INTO v_message FROM messages WHERE wamid = p ->> 'wamid';
    RETURN QUERY SELECT to_jsonb(v_chat), to_jsonb(v_message), false;
    RETURN;
  END IF;

  -- Meta may deliver a chat's messages out of order: the preview follows the newest by WhatsApp's time.
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

  RETURN QUERY SELECT to_jsonb(v_chat), to_jsonb(v_message), true;
END
$$;
