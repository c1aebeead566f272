-- Followable requests (data changes), their timelines, families and complaints, staff.

ALTER TABLE participants ADD COLUMN address jsonb;
ALTER TABLE participants ADD COLUMN last_class_change date;

-- A stand-in for the civil registry (Dukcapil): every person on every KK, members or not.
CREATE TABLE civil_registry (
    nik          char(16) PRIMARY KEY,
    kk_number    char(16) NOT NULL,
    full_name    text NOT NULL,
    birth_date   date NOT NULL,
    sex          char(1) NOT NULL,
    relationship text NOT NULL,
    district_code text NOT NULL
);
CREATE INDEX civil_registry_kk ON civil_registry (kk_number);

CREATE TABLE requests (
    request_id     uuid PRIMARY KEY,
    member_id      uuid NOT NULL REFERENCES participants,
    family_id      char(16) NOT NULL,
    kind           text NOT NULL,
    status         text NOT NULL,
    details        jsonb NOT NULL,
    rule           text,
    reason_en      text,
    reason_id      text,
    effective_date date,
    decided_by     text,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL
);
CREATE INDEX requests_member ON requests (member_id, created_at DESC);
-- One open request of a kind per member (per family for class changes): the rule, enforced.
CREATE UNIQUE INDEX requests_one_open_per_member ON requests (member_id, kind)
    WHERE status IN ('received', 'checking', 'approved', 'scheduled') AND kind <> 'class_change';
CREATE UNIQUE INDEX requests_one_open_class_change ON requests (family_id)
    WHERE status IN ('received', 'checking', 'approved', 'scheduled') AND kind = 'class_change';
CREATE INDEX requests_due ON requests (effective_date) WHERE status = 'scheduled';
CREATE INDEX requests_review ON requests (created_at) WHERE status = 'checking';

CREATE TABLE request_timeline (
    request_id uuid NOT NULL REFERENCES requests,
    seq        smallint NOT NULL,
    status     text NOT NULL,
    at         timestamptz NOT NULL,
    PRIMARY KEY (request_id, seq)
);

-- Codes proving a new email or phone (contact_change requests).
CREATE TABLE contact_codes (
    request_id      uuid PRIMARY KEY REFERENCES requests,
    channel         text NOT NULL,
    destination     text NOT NULL,
    code_hash       text NOT NULL,
    code_issued_at  timestamptz NOT NULL,
    code_expires_at timestamptz NOT NULL,
    failed_attempts smallint NOT NULL DEFAULT 0,
    locked          boolean NOT NULL DEFAULT false
);

-- Billing's word on each family's arrears (from its events; never asked synchronously).
CREATE TABLE family_arrears (
    family_id     char(16) PRIMARY KEY,
    unpaid_months integer NOT NULL,
    updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE SEQUENCE complaint_seq;
CREATE TABLE complaints (
    ticket_number text PRIMARY KEY,
    member_id     uuid NOT NULL REFERENCES participants,
    category      text NOT NULL,
    text          text NOT NULL,
    status        text NOT NULL DEFAULT 'open',
    filed_at      timestamptz NOT NULL,
    due_at        timestamptz NOT NULL,
    answer        text,
    answered_by   text,
    answered_at   timestamptz
);
CREATE INDEX complaints_member ON complaints (member_id, filed_at DESC);
CREATE INDEX complaints_open ON complaints (due_at) WHERE status = 'open';

CREATE TABLE staff (
    staff_id      uuid PRIMARY KEY,
    username      text NOT NULL UNIQUE,
    full_name     text NOT NULL,
    role          text NOT NULL CHECK (role IN ('officer')),
    password_hash text NOT NULL
);

CREATE SEQUENCE card_seq;
