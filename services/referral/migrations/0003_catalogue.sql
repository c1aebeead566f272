-- Issue 18's catalogue and records: polis, doctors and weekly schedules per facility; the
-- eligibility projection (from membership's and billing's events only); referrals and the
-- documents that follow them (control letters, back-referrals, visits); document sequences;
-- facility partners (bridging auth) and the audit of their calls.

-- The programme's poli codes (domain/polis.py is the source; the seed writes them here so the
-- facility_polis foreign key holds).
CREATE TABLE polis (
    code    text PRIMARY KEY CHECK (code ~ '^[A-Z]{3}$'),
    name_id text NOT NULL,
    name_en text NOT NULL,
    level   text NOT NULL CHECK (level IN ('fktp', 'fkrtl'))
);

CREATE TABLE facility_polis (
    facility_code text NOT NULL REFERENCES facilities (code),
    poli_code     text NOT NULL REFERENCES polis (code),
    PRIMARY KEY (facility_code, poli_code)
);

-- HFIS doctors (kodedokter), each practising at one facility.
CREATE TABLE doctors (
    doctor_id     text PRIMARY KEY CHECK (length(doctor_id) BETWEEN 1 AND 32),
    facility_code text NOT NULL REFERENCES facilities (code),
    name          text NOT NULL,
    active        boolean NOT NULL DEFAULT true
);
CREATE INDEX doctors_facility ON doctors (facility_code);

-- Weekly sessions (HFIS jadwaldokter): day 1-7 Monday-Sunday, 8 a public holiday; WIB times.
-- A doctor's overlapping sessions are refused by domain/schedules.check_weekly_schedule; the
-- unique key keeps the seed idempotent.
CREATE TABLE schedules (
    schedule_id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    facility_code   text NOT NULL,
    poli_code       text NOT NULL,
    doctor_id       text NOT NULL REFERENCES doctors (doctor_id),
    day_code        smallint NOT NULL CHECK (day_code BETWEEN 1 AND 8),
    start_time      time NOT NULL,
    end_time        time NOT NULL CHECK (end_time > start_time),
    quota_jkn       integer NOT NULL CHECK (quota_jkn >= 0),
    quota_non_jkn   integer NOT NULL CHECK (quota_non_jkn >= 0),
    service_minutes integer NOT NULL CHECK (service_minutes >= 1),
    CHECK (quota_jkn + quota_non_jkn > 0),
    FOREIGN KEY (facility_code, poli_code) REFERENCES facility_polis,
    UNIQUE (doctor_id, day_code, start_time)
);
CREATE INDEX schedules_facility_poli ON schedules (facility_code, poli_code, day_code);

-- The eligibility projection: one row per member, from FamilyEnrolled, MemberAdded,
-- ClassChanged, FaskesChanged (membership) and CoverageStatusChanged, PremiumArrearsChanged
-- (billing). A pending FKTP or class change waits in next_* until its date (R5, R10).
-- nik_digest is HMAC-SHA256 of the NIK under the key membership and referral share
-- (JKN_NIK_DIGEST_KEY): a facility may ask by NIK, and no NIK crosses Kafka.
-- coverage_as_of and arrears_at order billing's events: an older one changes nothing.
CREATE TABLE members (
    member_id       uuid PRIMARY KEY,
    card_number     text NOT NULL UNIQUE,
    nik_digest      text UNIQUE,
    family_id       text NOT NULL,
    segment         text NOT NULL,
    care_class      smallint NOT NULL CHECK (care_class BETWEEN 1 AND 3),
    fktp_code       text NOT NULL,
    coverage        text NOT NULL CHECK (coverage IN ('active', 'non_active')),
    arrears_months  integer NOT NULL DEFAULT 0 CHECK (arrears_months >= 0),
    covered_from    date,
    next_fktp_code  text,
    next_fktp_from  date,
    next_care_class smallint CHECK (next_care_class BETWEEN 1 AND 3),
    next_class_from date,
    coverage_as_of  date,
    arrears_at      timestamptz,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CHECK ((next_fktp_code IS NULL) = (next_fktp_from IS NULL)),
    CHECK ((next_care_class IS NULL) = (next_class_from IS NULL))
);
CREATE INDEX members_family ON members (family_id);

-- Each document kind's sequence per facility and month (domain/numbers.py): the next number is
-- one conditional upsert, so two issuers never get the same one.
CREATE TABLE document_sequences (
    facility_code text NOT NULL,
    kind          char(1) NOT NULL CHECK (kind IN ('P', 'B', 'K', 'A', 'V')),
    month         date NOT NULL CHECK (extract(day FROM month) = 1),
    last_value    integer NOT NULL CHECK (last_value BETWEEN 1 AND 999999),
    PRIMARY KEY (facility_code, kind, month)
);

-- Online referrals (rujukan) from an FKTP to a hospital poli, valid through day 90 (R19).
-- The expiry scheduler marks status 'expired' and stages ReferralExpired in one transaction,
-- stamping expired_published_at; the partial index is its to-do list.
CREATE TABLE referrals (
    number               char(19) PRIMARY KEY,
    member_id            uuid NOT NULL REFERENCES members (member_id),
    card_number          text NOT NULL,
    from_facility        text NOT NULL REFERENCES facilities (code),
    to_facility          text NOT NULL REFERENCES facilities (code),
    poli_code            text NOT NULL REFERENCES polis (code),
    service_type         char(1) NOT NULL CHECK (service_type IN ('1', '2')),
    diagnosis            text NOT NULL CHECK (diagnosis ~ '^[A-Z][0-9]{2}(\.[0-9]{1,2})?$'),
    notes                text NOT NULL DEFAULT '',
    issued_on            date NOT NULL,
    valid_through        date NOT NULL CHECK (valid_through >= issued_on),
    status               text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'expired')),
    issued_at            timestamptz NOT NULL,
    expired_published_at timestamptz,
    CHECK (from_facility <> to_facility)
);
CREATE INDEX referrals_member ON referrals (member_id, issued_on DESC);
CREATE INDEX referrals_to_expire ON referrals (valid_through) WHERE expired_published_at IS NULL;

-- Visits a facility records (VClaim's SEP, numbered kind V), under a referral, a control
-- letter or a queue booking (booking_code: the queue's own table, migration 0004).
CREATE TABLE visits (
    number                char(19) PRIMARY KEY,
    member_id             uuid NOT NULL REFERENCES members (member_id),
    facility_code         text NOT NULL REFERENCES facilities (code),
    poli_code             text NOT NULL REFERENCES polis (code),
    visited_on            date NOT NULL,
    referral_number       char(19) REFERENCES referrals (number),
    control_letter_number char(19),
    booking_code          char(19),
    recorded_at           timestamptz NOT NULL
);
CREATE INDEX visits_member ON visits (member_id, visited_on DESC);
CREATE INDEX visits_referral ON visits (referral_number) WHERE referral_number IS NOT NULL;

-- Control letters (surat kontrol): the referred hospital's document for one repeat visit.
CREATE TABLE control_letters (
    number          char(19) PRIMARY KEY,
    referral_number char(19) NOT NULL REFERENCES referrals (number),
    visit_number    char(19) NOT NULL REFERENCES visits (number),
    member_id       uuid NOT NULL REFERENCES members (member_id),
    facility_code   text NOT NULL REFERENCES facilities (code),
    poli_code       text NOT NULL REFERENCES polis (code),
    doctor_id       text REFERENCES doctors (doctor_id),
    issued_on       date NOT NULL,
    planned_on      date NOT NULL CHECK (planned_on > issued_on),
    used_at         timestamptz,
    issued_at       timestamptz NOT NULL
);
CREATE INDEX control_letters_member ON control_letters (member_id, planned_on DESC);
ALTER TABLE visits ADD FOREIGN KEY (control_letter_number) REFERENCES control_letters (number);

-- Back-referrals (rujuk balik, PRB): the hospital returns a chronic patient to their FKTP.
CREATE TABLE back_referrals (
    number          char(19) PRIMARY KEY,
    referral_number char(19) NOT NULL REFERENCES referrals (number),
    member_id       uuid NOT NULL REFERENCES members (member_id),
    hospital_code   text NOT NULL REFERENCES facilities (code),
    fktp_code       text NOT NULL REFERENCES facilities (code),
    diagnosis       text NOT NULL,
    programme       char(2) NOT NULL,
    advice          text NOT NULL,
    issued_on       date NOT NULL,
    issued_at       timestamptz NOT NULL
);
CREATE INDEX back_referrals_member ON back_referrals (member_id, issued_on DESC);

-- Facility partners (bridging auth, domain.md §4): an FKTP or a hospital, its secret sealed
-- (common.sealing) at rest.
CREATE TABLE partners (
    cons_id       text PRIMARY KEY CHECK (length(cons_id) BETWEEN 1 AND 64),
    kind          text NOT NULL CHECK (kind IN ('fktp', 'hospital')),
    facility_code text NOT NULL REFERENCES facilities (code),
    secret_sealed text NOT NULL,
    active        boolean NOT NULL DEFAULT true,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);

-- Every partner call and how it ended (refused signatures too): the cons-id as given (cut to 64
-- characters), the route template; never a card number, a NIK or a body.
CREATE TABLE partner_calls (
    id      bigserial PRIMARY KEY,
    cons_id text NOT NULL,
    path    text NOT NULL,
    outcome text NOT NULL,
    at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX partner_calls_at ON partner_calls (at);

-- Member sessions membership ended (SessionEnded): their access tokens stop working here too.
CREATE TABLE revoked_sessions (
    sid       uuid PRIMARY KEY,
    member_id uuid NOT NULL,
    ended_at  timestamptz NOT NULL
);
CREATE INDEX revoked_sessions_ended ON revoked_sessions (ended_at);
