-- Billing's payments: partners and their audit, bank payments (idempotent by bank reference),
-- in-app payment intents, autodebit mandates and collections, REHAB plans, and the member
-- sessions membership ended. Amounts are integer rupiah (bigint).

-- Who may call the partner API: a bank or a facility, with its bridging secret sealed under
-- JKN_SEAL_KEY (common.sealing), never in clear.
CREATE TABLE partners (
    cons_id       text PRIMARY KEY CHECK (length(cons_id) BETWEEN 1 AND 64),
    name          text NOT NULL,
    kind          text NOT NULL CHECK (kind IN ('bank', 'facility')),
    secret_sealed text NOT NULL,
    active        boolean NOT NULL DEFAULT true,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);

-- Every partner call and how it ended (refused signatures too). The cons-id as given (cut to
-- 64 characters), the route template, never a VA, a card number or a body.
CREATE TABLE partner_calls (
    id      bigserial PRIMARY KEY,
    cons_id text NOT NULL,
    path    text NOT NULL,
    outcome text NOT NULL,
    at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX partner_calls_at ON partner_calls (at);

-- A member's "pay now" in the app: the amount due on its VA until it expires; the bank's
-- payment of exactly that amount settles it. One open intent per payer at a time.
CREATE TABLE payment_intents (
    intent_id  uuid PRIMARY KEY,
    payer_kind text NOT NULL,
    payer_id   text NOT NULL,
    member_id  uuid NOT NULL,
    va         char(16) NOT NULL,
    amount     bigint NOT NULL CHECK (amount > 0),
    purpose    text NOT NULL CHECK (purpose IN ('amount_due', 'rehab')),
    status     text NOT NULL DEFAULT 'open'
               CHECK (status IN ('open', 'paid', 'superseded')),
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    payment_id uuid,
    FOREIGN KEY (payer_kind, payer_id) REFERENCES payers
);
CREATE INDEX payment_intents_open ON payment_intents (payer_kind, payer_id) WHERE status = 'open';

-- Money that arrived. The bank's reference is unique per partner: the same delivery again
-- (or ten at once) finds the first row and gets its stored answer, byte for byte; a changed
-- body under the same reference is told apart by the fingerprint and refused.
CREATE TABLE payments (
    payment_id      uuid PRIMARY KEY,
    cons_id         text NOT NULL,
    bank_reference  text NOT NULL,
    fingerprint     text NOT NULL,
    va              char(16),
    payer_kind      text,
    payer_id        text,
    segment         text,                   -- the payer's segment then, for the ops summary
    amount          bigint CHECK (amount > 0),
    channel         text,
    paid_at         timestamptz,
    paid_on         date,                   -- paid_at's day in WIB (the programme's day)
    received_at     timestamptz NOT NULL,
    intent_id       uuid,
    settled_periods text[] NOT NULL DEFAULT '{}',
    credit_after    bigint,
    answer          text,                   -- the first answer as sent
    UNIQUE (cons_id, bank_reference)
);
CREATE INDEX payments_paid_on ON payments (paid_on);
-- The facility penalty finds a participant by card number.
CREATE INDEX members_card ON members (card_number);
CREATE INDEX payments_payer ON payments (payer_kind, payer_id, paid_at);

-- A family's autodebit mandate: the bank account only masked, and sealed for the bank call.
CREATE TABLE autodebit_mandates (
    mandate_id     uuid PRIMARY KEY,
    payer_kind     text NOT NULL,
    payer_id       text NOT NULL,
    member_id      uuid NOT NULL,
    bank           text NOT NULL,
    account_masked text NOT NULL,
    account_sealed text NOT NULL,
    status         text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'cancelled')),
    created_at     timestamptz NOT NULL,
    cancelled_at   timestamptz,
    FOREIGN KEY (payer_kind, payer_id) REFERENCES payers
);
CREATE UNIQUE INDEX autodebit_one_active ON autodebit_mandates (payer_kind, payer_id)
    WHERE status = 'active';

-- One collection per mandate and bill: claimed (pending) before the bank is asked, then the
-- bank's answer; a restart asks again for pending ones with the same collection id.
CREATE TABLE autodebit_collections (
    collection_id uuid PRIMARY KEY,
    mandate_id    uuid NOT NULL REFERENCES autodebit_mandates,
    bill_id       uuid NOT NULL REFERENCES bills,
    amount        bigint NOT NULL CHECK (amount > 0),
    status        text NOT NULL DEFAULT 'pending'
                  CHECK (status IN ('pending', 'succeeded', 'failed')),
    bank_code     text,
    bank_message  text,
    payment_id    uuid,
    claimed_at    timestamptz NOT NULL,
    answered_at   timestamptz,
    UNIQUE (mandate_id, bill_id)
);
CREATE INDEX autodebit_pending ON autodebit_collections (claimed_at) WHERE status = 'pending';

-- REHAB: a family's arrears spread over up to 12 monthly parts (domain.rehab).
CREATE TABLE rehab_plans (
    plan_id       uuid PRIMARY KEY,
    payer_kind    text NOT NULL,
    payer_id      text NOT NULL,
    member_id     uuid NOT NULL,
    arrears_total bigint NOT NULL CHECK (arrears_total > 0),
    arrears_months integer NOT NULL,
    paid_total    bigint NOT NULL DEFAULT 0,
    status        text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'completed')),
    created_at    timestamptz NOT NULL,
    completed_at  timestamptz,
    FOREIGN KEY (payer_kind, payer_id) REFERENCES payers
);
CREATE UNIQUE INDEX rehab_one_active ON rehab_plans (payer_kind, payer_id)
    WHERE status = 'active';

CREATE TABLE rehab_instalments (
    plan_id  uuid NOT NULL REFERENCES rehab_plans ON DELETE CASCADE,
    number   smallint NOT NULL,
    period   text NOT NULL,
    due_date date NOT NULL,
    amount   bigint NOT NULL CHECK (amount > 0),
    paid_at  timestamptz,
    PRIMARY KEY (plan_id, number)
);

-- Member sessions membership ended (SessionEnded): their access tokens stop working here too.
CREATE TABLE revoked_sessions (
    sid       uuid PRIMARY KEY,
    member_id uuid NOT NULL,
    ended_at  timestamptz NOT NULL
);
CREATE INDEX revoked_sessions_ended ON revoked_sessions (ended_at);
