-- What other company systems know of a customer, written by them (never by the dashboard) and read with every
-- chat of that customer: `details` is a Partner's dco_id, driver_name, dco_status and the like (a JSON object,
-- or null while nothing was written); `context_history`, `rides` and `search_history` are lists in the shapes
-- the dashboard reads. Keyed by the WhatsApp number, digits, as `chats.customer` holds it.
CREATE TABLE customer_records (
  customer text PRIMARY KEY CHECK (customer ~ '^[0-9]+$'),
  details jsonb CHECK (details IS NULL OR jsonb_typeof(details) = 'object'),
  context_history jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(context_history) = 'array'),
  rides jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(rides) = 'array'),
  search_history jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(search_history) = 'array'),
  updated_at timestamptz NOT NULL DEFAULT now()
);
