DROP INDEX users_email_skeleton_idx;
ALTER TABLE users DROP COLUMN email_skeleton;
DROP TABLE account_notices;
ALTER TABLE users DROP COLUMN totp_failed_attempts, DROP COLUMN totp_locked_until;
DELETE FROM login_throttles WHERE ip <> '';
ALTER TABLE login_throttles DROP CONSTRAINT login_throttles_pkey;
ALTER TABLE login_throttles DROP COLUMN ip;
ALTER TABLE login_throttles ADD PRIMARY KEY (tenant_id, email);
