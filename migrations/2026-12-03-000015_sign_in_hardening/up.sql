-- Failed passwords are counted per account *and client address*: five wrong
-- passwords from one address lock that address out of that account, so a
-- stranger can no longer lock anyone (the SUPER_ADMIN included) out with
-- five requests. Rows for known and unknown e-mails alike.
ALTER TABLE login_throttles DROP CONSTRAINT login_throttles_pkey;
ALTER TABLE login_throttles ADD COLUMN ip text NOT NULL DEFAULT '';
ALTER TABLE login_throttles ADD PRIMARY KEY (tenant_id, email, ip);
-- The account-wide counter is no longer used for passwords.
UPDATE users SET failed_attempts = 0, locked_until = NULL;

-- Wrong second-factor codes, per account, across logins: a few lock the code
-- step for a while, whoever sends them.
ALTER TABLE users
    ADD COLUMN totp_failed_attempts integer NOT NULL DEFAULT 0,
    ADD COLUMN totp_locked_until timestamptz;

-- Things the account holder is told about on their account page (a locked
-- code step: someone who knows the password is guessing codes).
CREATE TABLE account_notices (
    id         uuid PRIMARY KEY,
    tenant_id  uuid NOT NULL REFERENCES tenants (id),
    user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind       text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    seen_at    timestamptz
);
CREATE INDEX account_notices_unseen_idx ON account_notices (tenant_id, user_id) WHERE seen_at IS NULL;
ALTER TABLE account_notices ENABLE ROW LEVEL SECURITY;
ALTER TABLE account_notices FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON account_notices
    USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());

-- The e-mail's confusable skeleton (Unicode TS #39): `admin@…` with a Cyrillic
-- «а» has the skeleton of the Latin one, so registration can refuse it.
-- Written by the application (the mapping is Unicode's table, not SQL).
ALTER TABLE users ADD COLUMN email_skeleton text;
CREATE INDEX users_email_skeleton_idx ON users (tenant_id, email_skeleton);
