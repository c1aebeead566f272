-- Billing's ledger: its projection of who is billed (from membership's events), payer
-- accounts with their coverage and credit, versioned tariffs, bills and their lines, bill runs.
-- Amounts are integer rupiah (bigint); periods are 'YYYY-MM' text (they sort as they read).

-- Tariffs are data with effective periods: a KRIS single tariff is a new row (issue 16).
CREATE TABLE tariffs (
    effective_from text PRIMARY KEY CHECK (effective_from ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
    tariff         jsonb NOT NULL,          -- services.billing.domain.tariffs.tariff_from_row
    created_at     timestamptz NOT NULL DEFAULT now()
);
INSERT INTO tariffs (effective_from, tariff) VALUES ('2021-01', '{
    "effective_from": "2021-01",
    "class_premiums": {"1": 150000, "2": 100000, "3": 42000},
    "class_subsidies": {"3": 7000},
    "subsidy_payer": "APBN",
    "pbi_premium": 42000,
    "ppu_employer_bp": 400, "ppu_worker_bp": 100, "ppu_wage_cap": 12000000,
    "ppu_extra_bp": 100, "ppu_basic_children": 3,
    "source": "Perpres 64/2020; domain.md §0, §3 [S27, S19, S21, S17]"}');

-- Whoever receives bills: a family (KK, payer_id = family_id), an employer, a budget.
CREATE TABLE payers (
    payer_kind     text NOT NULL CHECK (payer_kind IN ('family', 'employer', 'government')),
    payer_id       text NOT NULL,
    head_member_id uuid,                    -- family: who is told; the VA's card holder
    head_card_number char(13),
    head_name      text,                    -- shown masked to a bank's VA inquiry
    va             char(16) UNIQUE,         -- family only: 88888 + 11 card digits
    va_mandiri     char(16) UNIQUE,         -- family only: 89888 + the same digits
    locale         text NOT NULL DEFAULT 'id',
    credit         bigint NOT NULL DEFAULT 0 CHECK (credit >= 0),
    coverage       text NOT NULL DEFAULT 'active' CHECK (coverage IN ('active', 'non_active')),
    coverage_since date,
    arrears_months integer NOT NULL DEFAULT 0,  -- as last published (PremiumArrearsChanged)
    reactivated_on date,                    -- for the facility penalty (45 days)
    reactivated_arrears integer,            -- months of arrears paid off that day
    created_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (payer_kind, payer_id),
    CHECK (payer_kind <> 'family' OR (va IS NOT NULL AND head_member_id IS NOT NULL))
);

-- Billing's projection of participants: what it bills by (never asks membership).
CREATE TABLE members (
    member_id     uuid PRIMARY KEY,
    family_id     char(16) NOT NULL,
    card_number   char(13) NOT NULL,
    relationship  text NOT NULL,
    segment       text NOT NULL,
    care_class    smallint NOT NULL CHECK (care_class BETWEEN 1 AND 3),
    fktp_code     text NOT NULL,
    registered_on date NOT NULL,
    payer_kind    text NOT NULL,
    payer_id      text NOT NULL,
    wage          bigint,
    minimum_wage  bigint,
    updated_at    timestamptz NOT NULL
);
CREATE INDEX members_family ON members (family_id);
CREATE INDEX members_payer ON members (payer_kind, payer_id);

-- One bill per payer and period: the unique key makes every bill run idempotent.
CREATE TABLE bills (
    bill_id     uuid PRIMARY KEY,
    payer_kind  text NOT NULL,
    payer_id    text NOT NULL,
    period      text NOT NULL CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
    amount      bigint NOT NULL CHECK (amount >= 0),
    due_date    date NOT NULL,
    status      text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'settled')),
    opening     boolean NOT NULL DEFAULT false,  -- an arrears month carried over at enrolment
    issued_at   timestamptz NOT NULL,
    settled_at  timestamptz,
    settled_by  uuid,                        -- the payment; NULL when credit settled it
    reminded_at timestamptz,                 -- BillReminderIssued staged
    UNIQUE (payer_kind, payer_id, period),
    FOREIGN KEY (payer_kind, payer_id) REFERENCES payers
);
CREATE INDEX bills_open ON bills (payer_kind, payer_id, period) WHERE status = 'open';

-- Who a bill is for, and whose cost each amount is (premium, subsidy, shares, extras, pbi).
CREATE TABLE bill_lines (
    bill_id   uuid NOT NULL REFERENCES bills ON DELETE CASCADE,
    member_id uuid NOT NULL,
    part      text NOT NULL,
    amount    bigint NOT NULL CHECK (amount >= 0)
);
CREATE INDEX bill_lines_bill ON bill_lines (bill_id);

-- A monthly run's progress: resumable (payers with a bill are skipped) and observable.
CREATE TABLE bill_runs (
    period      text PRIMARY KEY,
    started_at  timestamptz NOT NULL,
    finished_at timestamptz,
    payers      integer NOT NULL DEFAULT 0,
    bills       integer NOT NULL DEFAULT 0
);
