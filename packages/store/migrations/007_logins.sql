-- A login is one sign-in of an executive (its access tokens carry its id as `sid`), with the chain of
-- refresh tokens it was given. Only SHA-256 hashes of refresh tokens are kept: they are 256 random bits, so
-- a leaked table lets nobody refresh. Every refresh spends its token and adds the next; a spent token shown
-- again means two holders, and revokes the login. `access_expires_at` is the exp of the last access token
-- issued: until then a revoked login must still be refused, after it the row may go.
CREATE TABLE logins (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  executive_id bigint NOT NULL REFERENCES executives (id) ON DELETE CASCADE,
  login_from text,
  created_at timestamptz NOT NULL DEFAULT now(),
  rotated_at timestamptz,
  refresh_expires_at timestamptz NOT NULL,
  access_expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  revoked_reason text CHECK (revoked_reason IN ('logout', 'reuse', 'disabled'))
);

CREATE INDEX logins_executive ON logins (executive_id);
CREATE INDEX logins_expiry ON logins (greatest(refresh_expires_at, access_expires_at));

CREATE TABLE refresh_tokens (
  hash bytea PRIMARY KEY CHECK (length(hash) = 32),
  login_id bigint NOT NULL REFERENCES logins (id) ON DELETE CASCADE,
  issued_at timestamptz NOT NULL DEFAULT now(),
  spent_at timestamptz
);

CREATE INDEX refresh_tokens_login ON refresh_tokens (login_id);
