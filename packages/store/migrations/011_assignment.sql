-- Who owns each chat, and which customer messages were left unanswered (issue 13).

-- The assignee's name as presence knew it when the chat was given: executives from another token issuer
-- have no row in `executives`, and the dashboard hides a chat's Reassign card without a name.
ALTER TABLE chats ADD COLUMN assigned_executive_name text;
-- When the chat was last resolved: an SLA check of a message written before it is cancelled.
ALTER TABLE chats ADD COLUMN resolved_at timestamptz;

-- At most this many open chats are given to the executive automatically; null: no limit.
ALTER TABLE executives ADD COLUMN max_open_chats integer CHECK (max_open_chats > 0);

-- The order executives last received a chat in: among the equally loaded, the one waiting longest is next.
CREATE SEQUENCE assignment_turn;
CREATE TABLE assignment_turns (
  executive_id text PRIMARY KEY,
  turn bigint NOT NULL
);

-- Open chats by assignee, for their load and for handing them on.
CREATE INDEX chats_open_assignee ON chats (assigned_executive_id) WHERE status <> 'resolved';
-- Open chats nobody owns, waiting for an executive to come online.
CREATE INDEX chats_unassigned ON chats (customer_type, last_incoming_message) WHERE assigned_executive_id IS NULL
  AND status <> 'resolved';
-- An executive's replies after a customer message.
CREATE INDEX messages_replies ON messages (chat_id, id) WHERE sender_type = 'Executive';

-- A resolved chat that a customer's message reopens is a new conversation, to be assigned afresh; the
-- time of its resolution cancels the SLA checks of the messages before it.
CREATE FUNCTION chat_status_moved() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status = 'resolved' AND OLD.status <> 'resolved' THEN
    NEW.resolved_at := now();
  ELSIF OLD.status = 'resolved' AND NEW.status <> 'resolved' THEN
    NEW.assigned_executive_id := NULL;
    NEW.assigned_executive_name := NULL;
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER chats_status_moved BEFORE UPDATE OF status ON chats
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION chat_status_moved();

-- As in 006, with the name kept on the chat when the executives table does not know the assignee.
CREATE OR REPLACE FUNCTION chat_summary_row(c chats) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT to_jsonb(c) || jsonb_build_object(
    'assigned_executive_name',
    COALESCE((SELECT e.name FROM executives e
               WHERE e.id = CASE WHEN c.assigned_executive_id ~ '^[0-9]{1,18}$' THEN c.assigned_executive_id::bigint END),
             c.assigned_executive_name),
    'customer_details', (SELECT r.details FROM customer_records r WHERE r.customer = c.customer))
$$;

-- Gives chat `p_chat_id` to the least loaded of the candidates (`p_ids`, named `p_names`, each allowed for
-- the chat's type) under their capacity, the one who waited longest among equals. Only an open chat that
-- has no assignee, or is `p_from`'s (handed on), is given: of concurrent calls for one chat, one assigns.
-- Every assignment holds one lock, so the loads it compares are not changing under it. Returns the chat
-- as given (to no one when `p_from`'s is handed on and no candidate can take it), or no row when nothing
-- changed.
CREATE FUNCTION assign_chat(p_chat_id bigint, p_ids text[], p_names text[], p_from text)
RETURNS TABLE (chat jsonb, from_executive_id text)
LANGUAGE plpgsql AS $$
DECLARE
  v_chat chats%ROWTYPE;
  v_pick text;
  v_name text;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('chat-assignment'));
  SELECT * INTO v_chat FROM chats WHERE id = p_chat_id FOR UPDATE;
  IF NOT FOUND OR v_chat.status = 'resolved'
     OR v_chat.assigned_executive_id IS DISTINCT FROM p_from THEN
    RETURN;
  END IF;
  SELECT k.id, k.name INTO v_pick, v_name
    FROM unnest(p_ids, p_names) AS k (id, name)
    LEFT JOIN executives e ON e.id = CASE WHEN k.id ~ '^[0-9]{1,18}$' THEN k.id::bigint END
    LEFT JOIN assignment_turns t ON t.executive_id = k.id
    CROSS JOIN LATERAL (SELECT count(*) AS open FROM chats o
                         WHERE o.assigned_executive_id = k.id AND o.status <> 'resolved') l
   WHERE k.id IS DISTINCT FROM p_from AND (e.max_open_chats IS NULL OR l.open < e.max_open_chats)
   ORDER BY l.open, t.turn NULLS FIRST, k.id
   LIMIT 1;
  IF v_pick IS NULL AND p_from IS NULL THEN
    RETURN;
  END IF;
  IF v_pick IS NOT NULL THEN
    INSERT INTO assignment_turns AS t (executive_id, turn) VALUES (v_pick, nextval('assignment_turn'))
    ON CONFLICT (executive_id) DO UPDATE SET turn = EXCLUDED.turn;
  END IF;
  UPDATE chats SET assigned_executive_id = v_pick, assigned_executive_name = v_name,
                   version = version + 1, updated_at = now()
   WHERE id = p_chat_id
  RETURNING * INTO v_chat;
  RETURN QUERY SELECT chat_summary_row(v_chat), p_from;
END
$$;

-- One row per alert raised: the key a retried or repeated check finds, so no alert is raised twice.
CREATE TABLE sla_alerts (
  message_id bigint NOT NULL REFERENCES messages (id),
  minutes numeric NOT NULL,
  chat_id bigint NOT NULL REFERENCES chats (id),
  assigned_executive_id text,
  raised_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (message_id, minutes)
);
