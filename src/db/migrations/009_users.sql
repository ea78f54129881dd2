-- Users of the web app and API (spec/api.md roles). Passwords are scrypt hashes with a per-user salt; the TOTP
-- secret is stored only once enrolled. Sessions live in the server's memory, so a restart signs everyone out.
CREATE SEQUENCE user_id_seq START 1;
CREATE TABLE users (
  user_id INTEGER PRIMARY KEY DEFAULT nextval('user_id_seq'),
  username VARCHAR NOT NULL UNIQUE,
  role VARCHAR NOT NULL CHECK (role IN ('admin', 'city', 'district', 'auditor')),
  agency VARCHAR CHECK (agency IN ('检察', '公安')),
  districts VARCHAR[] NOT NULL,
  password_hash VARCHAR NOT NULL,
  totp_secret VARCHAR,
  created_at TIMESTAMP NOT NULL,
  password_changed_at TIMESTAMP NOT NULL,
  last_login_at TIMESTAMP,
  locked_at TIMESTAMP,
  disabled_at TIMESTAMP
);
-- Failed sign-ins, kept for the lockout window (5 in 15 minutes) and never shown to the person signing in.
CREATE TABLE login_failures (username VARCHAR NOT NULL, failed_at TIMESTAMP NOT NULL);
