-- Sessions that survive a flaky connection, per-account login throttling, and the code budget.

-- The pair a refresh produced, sealed (never in clear), so a retry of the same refresh token
-- within the grace gets the same pair back instead of ending the login.
ALTER TABLE refresh_tokens ADD COLUMN successor_sealed text;
-- One row per ended login family (revoked reuse, logout, password change): the access tokens
-- carry it as `sid`, and each process keeps the set ended within an access-token lifetime.
CREATE TABLE revoked_sessions (
    sid        uuid PRIMARY KEY,
    revoked_at timestamptz NOT NULL
);
CREATE INDEX revoked_sessions_at ON revoked_sessions (revoked_at);

-- Failed logins per username as typed (a keyed hash, so the table names nobody and an unknown
-- username is throttled exactly like a known one).
CREATE TABLE login_throttle (
    subject      text PRIMARY KEY,
    failures     integer NOT NULL DEFAULT 0,
    locked_until timestamptz
);

-- Every verification code sent, by whom and where to (keyed hashes only: no NIK, phone or
-- email in this table), counted in the transaction that issues the code.
CREATE TABLE code_issues (
    id          bigserial PRIMARY KEY,
    member_hash text NOT NULL,
    dest_hash   text NOT NULL,
    issued_at   timestamptz NOT NULL
);
CREATE INDEX code_issues_member ON code_issues (member_hash, issued_at);
CREATE INDEX code_issues_dest ON code_issues (dest_hash, issued_at);
