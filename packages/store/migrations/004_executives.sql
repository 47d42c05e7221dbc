-- Who logs in to the dashboard. `username` is stored lower-cased (the store lower-cases it), so the unique
-- index makes names unique whatever their case. `customer_types` lists the pages an executive may see.
CREATE TABLE executives (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  username text NOT NULL CHECK (username = lower(username) AND username <> ''),
  name text NOT NULL,
  agent_number text NOT NULL CHECK (agent_number ~ '^[0-9]+$'),
  role text NOT NULL DEFAULT 'executive' CHECK (role IN ('executive', 'admin')),
  customer_types text[] NOT NULL DEFAULT '{Partner,Customer,Vendor,SRDP}'
    CHECK (customer_types <@ '{Partner,Customer,Vendor,SRDP}' AND cardinality(customer_types) > 0),
  password_hash text NOT NULL,
  disabled_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX executives_username ON executives (username);
