-- Programme records (a synthetic stand-in here), accounts, registrations and refresh tokens.

CREATE TABLE participants (
    member_id     uuid PRIMARY KEY,
    nik           char(16) NOT NULL UNIQUE,
    card_number   char(13) NOT NULL UNIQUE,
    full_name     text NOT NULL,
    birth_date    date NOT NULL,
    sex           char(1) NOT NULL,
    family_id     char(16) NOT NULL,
    relationship  text NOT NULL,
    segment       text NOT NULL,
    pn_corps      text,
    care_class    smallint NOT NULL CHECK (care_class BETWEEN 1 AND 3),
    fktp_code     text NOT NULL,
    fktp_since    date NOT NULL,
    registered_at date NOT NULL,
    coverage      text NOT NULL,
    district_code text NOT NULL
);
CREATE INDEX participants_family ON participants (family_id);

-- Membership's own view of the facility registry, fed by referral's events.
CREATE TABLE facilities (
    code                text PRIMARY KEY,
    facility_type       text NOT NULL,
    kind                text NOT NULL,
    name                text NOT NULL,
    district            text NOT NULL,
    accepts_new_members boolean NOT NULL,
    active              boolean NOT NULL,
    updated_at          timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE registrations (
    registration_id uuid PRIMARY KEY,
    member_id       uuid NOT NULL REFERENCES participants,
    email           text,
    phone           text,
    password_hash   text NOT NULL,
    channel         text NOT NULL CHECK (channel IN ('email', 'sms')),
    locale          text NOT NULL DEFAULT 'id',
    code_hash       text NOT NULL,
    code_issued_at  timestamptz NOT NULL,
    code_expires_at timestamptz NOT NULL,
    failed_attempts smallint NOT NULL DEFAULT 0,
    locked          boolean NOT NULL DEFAULT false,
    status          text NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'verified', 'superseded')),
    created_at      timestamptz NOT NULL DEFAULT now(),
    verified_at     timestamptz,
    CHECK (email IS NOT NULL OR phone IS NOT NULL)
);
-- One open registration per person: a new one supersedes the old.
CREATE UNIQUE INDEX registrations_one_pending ON registrations (member_id) WHERE status = 'pending';

CREATE TABLE accounts (
    account_id    uuid PRIMARY KEY,
    member_id     uuid NOT NULL UNIQUE REFERENCES participants,
    email         text UNIQUE,
    phone         text UNIQUE,
    password_hash text NOT NULL,
    locale        text NOT NULL DEFAULT 'id',
    created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE refresh_tokens (
    token_hash  text PRIMARY KEY,
    account_id  uuid NOT NULL REFERENCES accounts,
    family_id   uuid NOT NULL,
    issued_at   timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    revoked_at  timestamptz
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
