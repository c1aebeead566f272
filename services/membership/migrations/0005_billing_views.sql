-- Billing's word on each family (from its events; never asked live): coverage as billing last
-- decided it, and the family's virtual accounts for /v1/me. Payer, wage and minimum wage are
-- not kept here: membership announces them once (FamilyEnrolled) and billing owns them.

-- When billing last changed this member's coverage (CoverageStatusChanged.occurred_at), so a
-- late, older event never undoes a newer one; NULL while the register's value stands.
ALTER TABLE participants ADD COLUMN coverage_changed_at timestamptz;

CREATE TABLE family_accounts (
    family_id  char(16) PRIMARY KEY,
    va         char(16) NOT NULL,
    va_mandiri char(16) NOT NULL,
    updated_at timestamptz NOT NULL
);
