-- Staff roles (officer, supervisor, admin), the branch an account works for, and disabling an
-- account without deleting it (its decisions and audit rows keep naming it).

ALTER TABLE staff DROP CONSTRAINT staff_role_check;
ALTER TABLE staff ADD CONSTRAINT staff_role_check
    CHECK (role IN ('officer', 'supervisor', 'admin'));
-- Admins manage accounts for every branch; officers and supervisors work for one.
ALTER TABLE staff ADD COLUMN branch text;
ALTER TABLE staff ADD CONSTRAINT staff_branch_for_desk CHECK (role = 'admin' OR branch IS NOT NULL)
    NOT VALID;
ALTER TABLE staff ADD COLUMN disabled_at timestamptz;
-- Accounts made before roles were branch officers of the one branch the platform served.
UPDATE staff SET branch = 'bandar-lampung' WHERE branch IS NULL AND role <> 'admin';
ALTER TABLE staff VALIDATE CONSTRAINT staff_branch_for_desk;

-- Every staff read of a member's record and every staff action: who, what, on whom, why, when.
-- Ids and codes only: never a NIK, a name or a contact value (the member reads this too).
CREATE TABLE staff_audit (
    audit_id  bigserial PRIMARY KEY,
    staff_id  uuid NOT NULL REFERENCES staff,
    action    text NOT NULL,
    member_id uuid REFERENCES participants,
    subject   text,  -- the request id, ticket number or assisted session the entry is about
    reason    text NOT NULL,
    at        timestamptz NOT NULL
);
CREATE INDEX staff_audit_member ON staff_audit (member_id, audit_id DESC)
    WHERE member_id IS NOT NULL;
CREATE INDEX staff_audit_staff ON staff_audit (staff_id, audit_id DESC);
CREATE INDEX staff_audit_at ON staff_audit (at);

-- Which branch serves a member: by the regency (kabupaten/kota, the first four digits of the
-- district code) they live in. Officers see and decide only their branch's members.
CREATE TABLE branch_regencies (
    regency_code char(4) PRIMARY KEY,
    branch       text NOT NULL
);
INSERT INTO branch_regencies (regency_code, branch) VALUES ('1871', 'bandar-lampung');

-- Assisted service at the branch kiosk: an officer may act for a member only once the member
-- has given them the consent code sent to the member's own login contact.
CREATE TABLE assisted_sessions (
    session_id      uuid PRIMARY KEY,
    member_id       uuid NOT NULL REFERENCES participants,
    staff_id        uuid NOT NULL REFERENCES staff,
    channel         text NOT NULL,
    code_hash       text NOT NULL,
    code_issued_at  timestamptz NOT NULL,
    code_expires_at timestamptz NOT NULL,
    failed_attempts smallint NOT NULL DEFAULT 0,
    locked          boolean NOT NULL DEFAULT false,
    opened_at       timestamptz
);

-- Work a supervisor gave to one person: only they (or a supervisor) decide or answer it.
ALTER TABLE requests ADD COLUMN assigned_to uuid REFERENCES staff;
ALTER TABLE complaints ADD COLUMN assigned_to uuid REFERENCES staff;
